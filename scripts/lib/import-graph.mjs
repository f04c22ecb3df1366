/**
 * The import graph of the source and the architecture rules over it (tests/node/architecture.test.ts runs
 * them on the repo and on tests/fixtures/architecture, a tree of files that break each rule). A regex scan
 * of import/export-from specifiers and dynamic imports, comments removed first: TypeScript 7's package has
 * no compiler API, and the scan needs nothing it would add. Each rule returns its violations as strings.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, sep } from "node:path";

const posix = (p) => p.split(sep).join("/");

/** Source files (.ts, .tsx, .mts; not .d.ts) under `dir`, repo-relative. */
export function walk(root, dir) {
  if (!existsSync(join(root, dir))) return [];
  return readdirSync(join(root, dir)).flatMap((name) => {
    const rel = `${dir}/${name}`;
    if (name === "node_modules" || name.startsWith(".")) return [];
    return statSync(join(root, rel)).isDirectory() ? walk(root, rel) : /\.(ts|tsx|mts)$/.test(name) && !name.endsWith(".d.ts") ? [rel] : [];
  });
}

/** Source with comments removed (a doc comment may show an import or a query as an example). */
export function code(root, file) {
  return readFileSync(join(root, file), "utf8")
    .replace(/\/\*[\s\S]*?\*\//g, "")
    .split("\n")
    .filter((l) => !l.trim().startsWith("//"))
    .join("\n");
}

function resolveFrom(root, file, specifier) {
  const base = posix(normalize(join(dirname(file), specifier.replace(/\?.*$/, ""))));
  for (const candidate of [base, `${base}.ts`, `${base}.tsx`, `${base}.mts`, `${base}.mjs`, `${base}.js`, `${base}/index.ts`, `${base}/index.tsx`]) {
    if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return candidate;
  }
  return base;
}

const PATTERNS = [
  /(?:^|[;\n])\s*(import|export)\s+(type\s+)?[^'";]*?\bfrom\s*["']([^"']+)["']/g,
  /(?:^|[;\n])\s*import\s*["']([^"']+)["']/g,
  /\bimport\(\s*["']([^"']+)["']\s*\)/g,
];

/** @returns {{ from: string, specifier: string, to: string | null, typeOnly: boolean }[]} `to` is null for a package. */
export function importsOf(root, file) {
  const src = code(root, file);
  const out = [];
  for (const [i, re] of PATTERNS.entries()) {
    for (const m of src.matchAll(re)) {
      const specifier = i === 0 ? m[3] : m[1];
      out.push({ from: file, specifier, to: specifier.startsWith(".") ? resolveFrom(root, file, specifier) : null, typeOnly: i === 0 && Boolean(m[2]) });
    }
  }
  return out;
}

export const SOURCE_DIRS = ["worker", "web/src", "contract", "plugins"];

export function buildGraph(root, dirs = SOURCE_DIRS) {
  const files = dirs.flatMap((d) => walk(root, d));
  return { root, files, edges: files.flatMap((f) => importsOf(root, f)) };
}

const show = (e) => `${e.from} imports ${e.specifier}`;

/** plugins/** imports only contract/, worker/plugins/api.ts, web/src/plugin-kit/, its own folder and packages (no `cloudflare:`). */
export function pluginImports(graph) {
  return graph.edges
    .filter((e) => e.from.startsWith("plugins/"))
    .filter((e) => {
      if (e.to === null) return /^cloudflare:/.test(e.specifier);
      const own = `${e.from.split("/").slice(0, 2).join("/")}/`;
      return !(e.to.startsWith(own) || e.to.startsWith("contract/") || e.to === "worker/plugins/api.ts" || e.to.startsWith("web/src/plugin-kit/"));
    })
    .map(show);
}

/** web/** imports no worker/** code, and worker/** no web/** code. */
export function webWorkerImports(graph) {
  return graph.edges.filter((e) => (e.from.startsWith("web/") && e.to?.startsWith("worker/")) || (e.from.startsWith("worker/") && e.to?.startsWith("web/"))).map(show);
}

/** contract/ imports only contract/ and runtime-neutral packages (Hono and Solid for types only). */
export function contractImports(graph) {
  const RUNTIME = /^(hono|solid-js|@solidjs\/|drizzle-orm|cloudflare:)/;
  return graph.edges.filter((e) => e.from.startsWith("contract/") && (e.to === null ? RUNTIME.test(e.specifier) && !e.typeOnly : !e.to.startsWith("contract/"))).map(show);
}

const isStore = (f) => /(^|\/)store(\/|\.ts$)/.test(f);

/**
 * The catalog model reaches no store, routes, Hono, drizzle or worker/db, directly or through another module
 * it imports. The model is every worker/catalog/*.ts file except those named in `orchestration` (each with
 * why it wires the model to stores, readers or HTTP), so a new catalog file is held to the rule by default.
 */
export function catalogModelImports(graph, { orchestration }) {
  const model = graph.files.filter((f) => /^worker\/catalog\/[^/]+\.ts$/.test(f) && !Object.hasOwn(orchestration, f));
  const bad = [];
  for (const start of model) {
    const seen = new Set();
    const stack = [start];
    while (stack.length) {
      const file = stack.pop();
      if (seen.has(file)) continue;
      seen.add(file);
      for (const e of graph.edges.filter((x) => x.from === file)) {
        if (e.to === null ? /^(hono|drizzle-orm)(\/|$)/.test(e.specifier) && !e.typeOnly : /\/store(\/|\.ts$)|\/routes(\/|\.ts$)|^worker\/db\//.test(e.to)) bad.push(`${start}: ${show(e)}`);
        // A type-only import brings no code along: what the types' module imports is not followed.
        else if (!e.typeOnly && (e.to?.startsWith("worker/") || e.to?.startsWith("contract/"))) stack.push(e.to);
      }
    }
  }
  return bad;
}

/** Statements that run SQL: D1's prepare/batch/exec, drizzle's query builder and `sql` tag, drizzle-orm imports. */
const SQL = [/\.prepare\(\s*[`"'A-Z]/, /\bdb\.(batch|exec)\(/, /\bdrizzle\(/, /\bsql`/, /\.(select|insert|update|delete)\([^)]*\)\s*\.(from|into|set|values|where)\(/];

/** SQL appears only in store modules (a file or folder named store), worker/db/, and the listed exceptions. */
export function sqlOutsideStores(graph, exceptions) {
  const bad = [];
  for (const f of graph.files.filter((x) => x.startsWith("worker/") || x.startsWith("plugins/"))) {
    if (isStore(f) || f.startsWith("worker/db/") || Object.hasOwn(exceptions, f)) continue;
    const src = code(graph.root, f);
    const hit = SQL.find((re) => re.test(src));
    if (hit) bad.push(`${f} runs SQL (${hit.source})`);
    else if (graph.edges.some((e) => e.from === f && e.to === null && /^drizzle-orm(\/|$)/.test(e.specifier) && !e.typeOnly)) bad.push(`${f} imports drizzle-orm`);
  }
  return bad;
}

/** Where queue batches are sent: enqueueAll keeps them within the queue's limits (a batch over them is lost). */
export const QUEUE_BATCH_MODULE = "worker/jobs/enqueue.ts";

/** `.sendBatch(` anywhere in worker/ or plugins/ but QUEUE_BATCH_MODULE. */
export function queueBatchesOutsideEnqueue(graph) {
  return graph.files
    .filter((f) => (f.startsWith("worker/") || f.startsWith("plugins/")) && f !== QUEUE_BATCH_MODULE)
    .filter((f) => /\.sendBatch\s*\(/.test(code(graph.root, f)))
    .map((f) => `${f} calls sendBatch (use enqueueAll from ${QUEUE_BATCH_MODULE})`);
}
