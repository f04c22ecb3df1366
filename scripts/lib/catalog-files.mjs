/**
 * Which files `catalog:load` sends, and how they are split into ingest requests.
 *
 * The portal cannot read the local disk, so the loader ships every text file of the tree with the request:
 * Location targets and `$text`/`$json`/`$yaml` placeholders are then resolved server-side against that map,
 * exactly as Backstage resolves them against a repository.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, extname, join, resolve, sep } from "node:path";
import { loadAll } from "js-yaml";

/** Extensions that can be a descriptor, a placeholder target or a TechDocs page. */
export const TEXT_EXTENSIONS = new Set([".yaml", ".yml", ".json", ".graphql", ".proto", ".md"]);
/** Bigger files are skipped (and reported): nothing in a catalog should be that large. */
export const MAX_FILE_BYTES = 2 * 1024 * 1024;
/** Requests above this are split, well under the worker's body limit. */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;
/** The worker accepts at most this many files per request. */
export const MAX_REQUEST_FILES = 5000;
const SKIP_DIRS = new Set(["node_modules", ".git", ".wrangler"]);

/**
 * @typedef {{ target: string, content: string }} CatalogFile
 * @typedef {{ target: string, reason: string }} SkippedFile
 * @typedef {{ location: { type: "file", target: string }, files: CatalogFile[], roots: string[], skipped: SkippedFile[] }} CollectedCatalog
 * @typedef {{ location: { type: "file", target: string }, files: CatalogFile[], roots: string[], complete: boolean }} IngestBody
 */

/**
 * Reads a file or folder the way the ingest endpoint wants it.
 * A folder sends every text file below it; a file sends itself plus every text file in its own folder tree.
 * @param {string} inputPath absolute or cwd-relative
 * @returns {CollectedCatalog}
 */
export function collectCatalog(inputPath) {
  const target = resolve(inputPath);
  const isDir = statSync(target).isDirectory(); // throws ENOENT for a missing path; the CLI reports it
  const { files, skipped } = readTextFiles(isDir ? target : dirname(target));
  const roots = isDir ? pickRoots(target, files) : [target];
  if (!isDir && !files.some((f) => f.target === target)) {
    throw new Error(`${inputPath} is not a catalog file (${[...TEXT_EXTENSIONS].join(", ")}, at most 2 MB)`);
  }
  return { location: { type: "file", target }, files, roots, skipped };
}

/**
 * @param {string} dir
 * @returns {{ files: CatalogFile[], skipped: SkippedFile[] }}
 */
export function readTextFiles(dir) {
  /** @type {CatalogFile[]} */ const files = [];
  /** @type {SkippedFile[]} */ const skipped = [];
  const walk = (/** @type {string} */ current) => {
    // Symlinks are neither files nor directories to Dirent, so they are skipped: no loops, no escaping the tree.
    for (const entry of readdirSync(current, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) {
        if (!SKIP_DIRS.has(entry.name)) walk(path);
      } else if (entry.isFile() && TEXT_EXTENSIONS.has(extname(entry.name).toLowerCase())) {
        const size = statSync(path).size;
        if (size > MAX_FILE_BYTES) skipped.push({ target: path, reason: `${(size / 1024 / 1024).toFixed(1)} MB is over the 2 MB limit` });
        else files.push({ target: path, content: readFileSync(path, "utf8") });
      }
    }
  };
  walk(dir);
  return { files, skipped };
}

/**
 * A folder's catalog-info.yaml is its entry point, as in a repository. Without one, every YAML file that looks like a
 * descriptor (top-level `apiVersion:` and `kind:` lines) is processed on its own; OpenAPI/AsyncAPI files are not picked.
 * @param {string} dir
 * @param {CatalogFile[]} files
 */
export function pickRoots(dir, files) {
  const entry = files.find((f) => f.target === join(dir, "catalog-info.yaml"));
  if (entry) return [entry.target];
  return files
    .filter((f) => /\.ya?ml$/i.test(f.target) && /^apiVersion:/m.test(f.content) && /^kind:/m.test(f.content))
    .map((f) => f.target);
}

/**
 * One request when everything fits in 8 MB and 5000 files (the normal case). Otherwise roots are packed greedily
 * into several requests, each carrying only the files its roots reach (Location targets, placeholders, TechDocs and
 * skeleton folders), and only the last one says `complete: true` (with `keep` naming every file of the load). A single root that needs more than one request on
 * its own cannot be split without changing which Location owns its entities, so that is an error: load its
 * sub-folders one by one.
 * @param {CollectedCatalog} catalog
 * @param {number} [maxBytes]
 * @param {number} [maxFiles]
 * @returns {IngestBody[]}
 */
export function planRequests(catalog, maxBytes = MAX_REQUEST_BYTES, maxFiles = MAX_REQUEST_FILES) {
  const { location, files, roots } = catalog;
  const whole = { location, files, roots, complete: true };
  if (jsonBytes(whole) <= maxBytes && files.length <= maxFiles) return [whole];

  const byPath = new Map(files.map((f) => [f.target, f]));
  const budget = maxBytes - jsonBytes({ location, files: [], roots, complete: false });
  const tooBig = (/** @type {Set<string>} */ paths) =>
    paths.size > maxFiles || [...paths].reduce((n, p) => n + jsonBytes(byPath.get(p)) + 1, 0) > budget;

  /** @type {{ roots: string[], need: Set<string> }[]} */
  const groups = [];
  let current = { roots: /** @type {string[]} */ ([]), need: new Set() };
  for (const root of roots) {
    const need = reachableFiles(root, byPath);
    if (tooBig(need)) {
      throw new Error(
        `${root} and the files it references are over the request limit (${maxBytes / 1024 / 1024} MB, ${maxFiles} files); load its sub-folders separately`,
      );
    }
    const merged = new Set([...current.need, ...need]);
    if (current.roots.length > 0 && tooBig(merged)) {
      groups.push(current);
      current = { roots: [root], need };
    } else {
      current = { roots: [...current.roots, root], need: merged };
    }
  }
  groups.push(current);
  const last = groups.length - 1;
  return groups.map((g, i) => ({
    location,
    files: files.filter((f) => g.need.has(f.target)),
    roots: g.roots,
    complete: i === last,
    // The last request lists every file of the load, so the server does not take the earlier requests' files
    // for deleted ones when it prunes.
    ...(i === last && last > 0 ? { keep: files.map((f) => f.target) } : {}),
  }));
}

/**
 * The files processing `root` will read: itself, Location targets (recursively), placeholder targets, and the
 * folders named by `backstage.io/techdocs-ref: dir:` and by Template skeleton steps. YAML that does not parse is
 * still sent; the server reports the error with its line.
 * @param {string} root
 * @param {Map<string, CatalogFile>} byPath
 */
export function reachableFiles(root, byPath) {
  const seen = new Set();
  const stack = [root];
  while (stack.length > 0) {
    const path = /** @type {string} */ (stack.pop());
    if (seen.has(path) || !byPath.has(path)) continue;
    seen.add(path);
    if (!/\.ya?ml$/i.test(path) || basename(path).startsWith("mkdocs.")) continue;
    let docs;
    try {
      docs = loadAll(/** @type {CatalogFile} */ (byPath.get(path)).content);
    } catch {
      continue;
    }
    const dir = dirname(path);
    for (const doc of docs) {
      if (!isObject(doc)) continue;
      for (const ref of localRefs(doc)) stack.push(resolve(dir, ref));
      for (const folder of localFolders(doc)) {
        const prefix = resolve(dir, folder) + sep;
        for (const p of byPath.keys()) if (p.startsWith(prefix)) seen.add(p);
      }
    }
  }
  return seen;
}

/**
 * Relative or absolute file paths a descriptor points at: Location targets and placeholder values. URLs are skipped.
 * @param {Record<string, unknown>} doc
 */
function localRefs(doc) {
  /** @type {string[]} */ const refs = [];
  const spec = isObject(doc.spec) ? doc.spec : {};
  if (doc.kind === "Location" && (spec.type === undefined || spec.type === "file")) {
    const targets = [spec.target, ...(Array.isArray(spec.targets) ? spec.targets : [])];
    for (const t of targets) if (typeof t === "string") refs.push(t);
  }
  const visit = (/** @type {unknown} */ value) => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isObject(value)) {
      const keys = Object.keys(value);
      const only = keys.length === 1 ? keys[0] : undefined;
      if (only && ["$text", "$json", "$yaml"].includes(only) && typeof value[only] === "string") refs.push(value[only]);
      else Object.values(value).forEach(visit);
    }
  };
  visit(spec);
  return refs.filter((r) => !/^[a-z][a-z0-9+.-]*:\/\//i.test(r));
}

/**
 * Folders a descriptor needs whole: its TechDocs source (`dir:` ref) and a Template's `fetch:template` skeletons.
 * @param {Record<string, any>} doc
 */
function localFolders(doc) {
  /** @type {string[]} */ const folders = [];
  const techdocs = doc.metadata?.annotations?.["backstage.io/techdocs-ref"];
  if (typeof techdocs === "string" && techdocs.startsWith("dir:")) folders.push(techdocs.slice(4));
  if (doc.kind === "Template" && Array.isArray(doc.spec?.steps)) {
    for (const step of doc.spec.steps) {
      const url = step?.input?.url;
      if (typeof url === "string" && url.startsWith(".")) folders.push(url);
    }
  }
  return folders;
}

/** @param {unknown} v @returns {v is Record<string, any>} */
function isObject(v) {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/** @param {unknown} value */
function jsonBytes(value) {
  return Buffer.byteLength(JSON.stringify(value));
}
