/**
 * The TechDocs half of `catalog:load`: entities loaded from local files whose `backstage.io/techdocs-ref` is
 * `dir:<path>` get that folder's mkdocs.yml and docs (Markdown and images) uploaded to the portal, which builds
 * them (`POST /api/plugins/techdocs/sites/:namespace/:kind/:name`, permission `plugin.techdocs.write`).
 * The portal cannot read the local disk, so this is the only way local docs get there.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { extname, join, relative, resolve, sep } from "node:path";
import { load, loadAll } from "js-yaml";

const TECHDOCS_REF = "backstage.io/techdocs-ref";
const TEXT = new Set([".md", ".markdown", ".yml", ".yaml", ".txt", ".csv", ".json"]);
const BINARY = new Set([".png", ".jpg", ".jpeg", ".gif", ".webp", ".avif", ".ico", ".bmp", ".pdf", ".zip"]);
/** Under the worker's 10 MiB plugin body cap, with room for base64 and JSON. */
export const MAX_UPLOAD_BYTES = 7 * 1024 * 1024;
const MAX_FILE_BYTES = 4 * 1024 * 1024;
/** Retries of an upload answered 409 (the site's build lease is held), waiting 0.5 s, 1 s, ... before each. */
const CONFLICT_RETRIES = 5;
const CONFLICT_RETRY_MS = Number(process.env.EDGESTAGE_UPLOAD_RETRY_MS ?? 500);

/**
 * @typedef {{ ref: string, namespace: string, kind: string, name: string, root: string }} LocalSite
 * @typedef {{ path: string, content: string, encoding: "utf8" | "base64", modified: string }} UploadFile
 */

/**
 * Documented entities among what the load accepted: refs the server reported added/updated/unchanged, from the
 * descriptor files it read.
 * @param {{ target: string, content: string }[]} files
 * @param {{ files: { location: string, added: string[], updated: string[], unchanged: string[] }[] }[]} responses
 * @returns {LocalSite[]}
 */
export function documentedEntities(files, responses) {
  const byPath = new Map(files.map((f) => [f.target, f.content]));
  /** @type {Map<string, LocalSite>} */ const out = new Map();
  for (const file of responses.flatMap((r) => r.files)) {
    if (!file.location.startsWith("file:")) continue;
    const path = file.location.slice("file:".length);
    const accepted = new Set([...file.added, ...file.updated, ...file.unchanged].map((r) => r.toLowerCase()));
    const text = byPath.get(path);
    if (text === undefined) continue;
    let docs;
    try {
      docs = loadAll(text);
    } catch {
      continue;
    }
    for (const doc of docs) {
      const annotation = doc?.metadata?.annotations?.[TECHDOCS_REF];
      if (typeof annotation !== "string" || !annotation.startsWith("dir:") || typeof doc.kind !== "string" || typeof doc.metadata?.name !== "string") continue;
      const namespace = String(doc.metadata.namespace ?? "default").toLowerCase();
      const kind = doc.kind.toLowerCase();
      const name = doc.metadata.name.toLowerCase();
      const ref = `${kind}:${namespace}/${name}`;
      if (!accepted.has(ref)) continue;
      out.set(ref, { ref, namespace, kind, name, root: resolve(path, "..", annotation.slice(4).trim() || ".") });
    }
  }
  return [...out.values()];
}

/**
 * mkdocs.yml and everything publishable under its docs_dir (default `docs/`), paths relative to the site root.
 * @param {string} root
 * @returns {{ files: UploadFile[], skipped: string[] }}
 */
export function collectSite(root) {
  /** @type {UploadFile[]} */ const files = [];
  /** @type {string[]} */ const skipped = [];
  let docsDir = "docs";
  for (const name of ["mkdocs.yml", "mkdocs.yaml"]) {
    const path = join(root, name);
    let text;
    try {
      text = readFileSync(path, "utf8");
    } catch {
      continue;
    }
    files.push({ path: name, content: text, encoding: "utf8", modified: statSync(path).mtime.toISOString() });
    try {
      // Python tags in mkdocs.yml are unknown to js-yaml; the server reports real YAML errors, here we only want docs_dir.
      const doc = /** @type {any} */ (load(text.replace(/!!python\/\S+|!ENV|!relative/g, "")));
      if (typeof doc?.docs_dir === "string") docsDir = doc.docs_dir.replace(/^\.\/+|\/+$/g, "");
    } catch {
      // the server reports the error
    }
    break;
  }
  const docsRoot = resolve(root, docsDir);
  if (!docsRoot.startsWith(resolve(root) + sep)) return { files, skipped };
  const walk = (/** @type {string} */ dir) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const ext = extname(entry.name).toLowerCase();
        if (!TEXT.has(ext) && !BINARY.has(ext)) continue;
        const stat = statSync(path);
        const rel = relative(root, path).split(sep).join("/");
        if (stat.size > MAX_FILE_BYTES) {
          skipped.push(`${rel} (${(stat.size / 1024 / 1024).toFixed(1)} MB)`);
          continue;
        }
        const bytes = readFileSync(path);
        files.push(
          TEXT.has(ext)
            ? { path: rel, content: bytes.toString("utf8"), encoding: "utf8", modified: stat.mtime.toISOString() }
            : { path: rel, content: bytes.toString("base64"), encoding: "base64", modified: stat.mtime.toISOString() },
        );
      }
    }
  };
  walk(docsRoot);
  return { files, skipped };
}

/**
 * Uploads each site; a failure is reported per site and does not stop the others.
 * @param {{ url: string, token?: string, sites: LocalSite[] }} opts
 */
export async function uploadSites({ url, token, sites }) {
  /** @type {{ ref: string, ok: boolean, skipped?: boolean, message: string, problems: { name: string, message: string, file?: string }[] }[]} */ const results = [];
  for (const site of sites) {
    const { files, skipped } = collectSite(site.root);
    const body = JSON.stringify({ files });
    if (Buffer.byteLength(body) > MAX_UPLOAD_BYTES) {
      results.push({ ref: site.ref, ok: false, message: `docs are ${(Buffer.byteLength(body) / 1024 / 1024).toFixed(1)} MB, over the ${MAX_UPLOAD_BYTES / 1024 / 1024} MB upload limit`, problems: [] });
      continue;
    }
    const endpoint = `${url.replace(/\/+$/, "")}/api/plugins/techdocs/sites/${encodeURIComponent(site.namespace)}/${encodeURIComponent(site.kind)}/${encodeURIComponent(site.name)}`;
    try {
      const send = () => fetch(endpoint, { method: "POST", headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) }, body });
      let res = await send();
      // 409: another build of this site is running (one at a time per site); it finishes within seconds.
      for (let attempt = 0; res.status === 409 && attempt < CONFLICT_RETRIES; attempt++) {
        await res.arrayBuffer().catch(() => undefined);
        await new Promise((r) => setTimeout(r, CONFLICT_RETRY_MS * (attempt + 1)));
        res = await send();
      }
      const json = /** @type {any} */ (await res.json().catch(() => null));
      if (!res.ok) {
        // A portal without TechDocs (no such route, or a build without blob storage) is not a failed load.
        const absent = res.status === 501 || (res.status === 404 && /No route/.test(json?.error?.message ?? ""));
        const message = json?.error ? `${json.error.name}: ${json.error.message}` : `HTTP ${res.status}`;
        results.push({ ref: site.ref, ok: absent, skipped: absent, message: absent ? `not uploaded, the portal has no TechDocs (${message})` : message, problems: [] });
        continue;
      }
      const b = json.build ?? {};
      const skippedNote = skipped.length ? `, skipped ${skipped.join(", ")}` : "";
      results.push({
        ref: site.ref,
        ok: true,
        message: `${b.rendered ?? 0} page(s) rendered, ${b.unchanged ?? 0} unchanged, ${b.removed ?? 0} removed${skippedNote}`,
        problems: json.problems ?? [],
      });
    } catch (err) {
      results.push({ ref: site.ref, ok: false, message: /** @type {Error} */ (err).message, problems: [] });
    }
  }
  return results;
}

/** @param {Awaited<ReturnType<typeof uploadSites>>} results */
export function formatDocsReport(results) {
  if (!results.length) return "";
  const lines = ["Docs:"];
  for (const r of results) {
    lines.push(`  ${r.skipped ? "-" : r.ok ? "✓" : "✗"} ${r.ref}: ${r.message}`);
    for (const p of r.problems) lines.push(`      ✗ ${p.file ? `${p.file}: ` : ""}${p.name}: ${p.message}`);
  }
  return lines.join("\n");
}
