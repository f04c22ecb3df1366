/**
 * Pushes collected catalog files to a running portal (`POST /api/catalog/ingest`) and turns the answer into a
 * report. Shared by `npm run catalog:load` and `npm start`.
 */
import { readFileSync } from "node:fs";
import { isAbsolute, join, relative } from "node:path";
import { collectCatalog, planRequests } from "./catalog-files.mjs";
import { documentedEntities, uploadSites } from "./techdocs-upload.mjs";

export const DEFAULT_URL = "http://127.0.0.1:8787";

/**
 * @typedef {{ entityRef: string | null, docIndex: number | null, field: string | null, line: number | null, name: string, message: string }} Rejection
 * @typedef {{ location: string, added: string[], updated: string[], removed: string[], unchanged: string[], rejected: Rejection[] }} FileResult
 * @typedef {{ added: number, updated: number, removed: number, unchanged: number, rejected: number }} Summary
 * @typedef {{ location: { id: string, type: string, target: string, entityRef: string }, files: FileResult[], summary: Summary }} IngestResponse
 */

/** A failure the user can act on; its message is printed as is. `body` is the server's error envelope, if any. */
export class LoadError extends Error {
  /** @param {string} message @param {unknown} [body] */
  constructor(message, body) {
    super(message);
    this.name = "LoadError";
    this.body = body;
  }
}

/**
 * --token, then EDGESTAGE_ADMIN_TOKEN, then the ADMIN_TOKEN line of .dev.vars (what `wrangler dev` gives the worker).
 * @param {{ token?: string, env?: NodeJS.ProcessEnv, cwd?: string }} opts
 */
export function resolveToken({ token, env = process.env, cwd = process.cwd() }) {
  if (token) return token;
  if (env.EDGESTAGE_ADMIN_TOKEN) return env.EDGESTAGE_ADMIN_TOKEN;
  return readDevVarsToken(join(cwd, ".dev.vars"));
}

/** @param {string} path */
export function readDevVarsToken(path) {
  let text;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const match = /^\s*ADMIN_TOKEN\s*=\s*(.*?)\s*$/m.exec(text);
  if (!match) return undefined;
  const value = match[1].replace(/^(["'])(.*)\1$/, "$2"); // dotenv allows quoted values
  return value || undefined;
}

/**
 * @param {string} url portal base URL
 * @param {string | undefined} token
 * @param {import("./catalog-files.mjs").IngestBody} body
 * @returns {Promise<IngestResponse>}
 */
export async function postIngest(url, token, body) {
  const endpoint = `${url.replace(/\/+$/, "")}/api/catalog/ingest`;
  let res;
  try {
    res = await fetch(endpoint, {
      method: "POST",
      headers: { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
  } catch (err) {
    // fetch wraps socket errors: TypeError("fetch failed") with the real error (or an AggregateError) as cause.
    const cause = /** @type {any} */ (err)?.cause;
    const code = cause?.code ?? cause?.errors?.[0]?.code;
    if (code === "ECONNREFUSED") throw new LoadError(`Cannot connect to ${url}: is the portal running? try npm start`);
    throw new LoadError(`Cannot reach ${url}: ${cause?.message ?? /** @type {Error} */ (err).message}`);
  }
  const text = await res.text();
  let json;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const error = json?.error;
    let message = error?.name
      ? `${error.name}: ${error.message} (HTTP ${res.status})`
      : `HTTP ${res.status} ${res.statusText}${text ? `: ${text.slice(0, 300)}` : ""}`;
    // The portal answers 401 for a missing token and 403 for one it does not accept.
    if (res.status === 401 || res.status === 403) message += `\n  ${token ? "The token was refused" : "No token was sent"}: pass --token, set EDGESTAGE_ADMIN_TOKEN, or check ADMIN_TOKEN in .dev.vars.`;
    throw new LoadError(message, json);
  }
  if (!json || !Array.isArray(json.files)) throw new LoadError(`Unexpected answer from ${endpoint}: ${text.slice(0, 300)}`);
  return json;
}

/**
 * Collects, plans and sends. Requests go one after another so a split load arrives in order. Then the docs
 * of entities with a local `backstage.io/techdocs-ref: dir:` are uploaded for TechDocs (`docs: false` skips it,
 * as does a portal without the TechDocs plugin: its 404 is reported per site).
 * @param {{ path: string, url?: string, token?: string, maxBytes?: number, docs?: boolean }} opts
 */
export async function loadCatalog({ path, url = DEFAULT_URL, token, maxBytes, docs = true }) {
  const catalog = collectCatalog(path);
  const requests = planRequests(catalog, maxBytes);
  /** @type {IngestResponse[]} */ const responses = [];
  for (const body of requests) responses.push(await postIngest(url, token, body));
  const sites = docs ? documentedEntities(catalog.files, responses) : [];
  const docsResults = sites.length ? await uploadSites({ url, token, sites }) : [];
  return { catalog, requests, responses, summary: sumSummaries(responses), docs: docsResults };
}

/** @param {IngestResponse[]} responses @returns {Summary} */
export function sumSummaries(responses) {
  const total = { added: 0, updated: 0, removed: 0, unchanged: 0, rejected: 0 };
  for (const r of responses) {
    // Servers that leave out `summary` still list the files; count from them.
    const s = r.summary ?? countFiles(r.files);
    for (const key of /** @type {(keyof Summary)[]} */ (Object.keys(total))) total[key] += s[key] ?? 0;
  }
  return total;
}

/** @param {FileResult[]} files @returns {Summary} */
function countFiles(files) {
  const n = (/** @type {keyof FileResult} */ k) => files.reduce((sum, f) => sum + (f[k]?.length ?? 0), 0);
  return { added: n("added"), updated: n("updated"), removed: n("removed"), unchanged: n("unchanged"), rejected: n("rejected") };
}

/** @param {Summary} s */
export function formatSummary(s) {
  return `${s.added} added, ${s.updated} updated, ${s.removed} removed, ${s.unchanged} unchanged, ${s.rejected} rejected`;
}

/**
 * One line per file (`+ added ~ updated - removed = unchanged`), then one line per rejection as
 * `file:line field (entity): Name: message`, so terminals and editors can jump to it.
 * @param {IngestResponse[]} responses
 * @param {{ cwd?: string }} [opts] paths are shown relative to this
 */
export function formatReport(responses, { cwd = process.cwd() } = {}) {
  const files = responses.flatMap((r) => r.files);
  const show = (/** @type {string} */ location) => {
    if (!location.startsWith("file:")) return location;
    const path = location.slice("file:".length);
    const rel = relative(cwd, path);
    return rel.startsWith("..") || isAbsolute(rel) ? path : rel || "."; // absolute beats ../../.. outside cwd
  };
  const width = Math.max(0, ...files.map((f) => show(f.location).length));
  const lines = [];
  for (const f of files) {
    const counts = `+${f.added.length} ~${f.updated.length} -${f.removed.length} =${f.unchanged.length}`;
    const rejected = f.rejected.length > 0 ? `  ✗ ${f.rejected.length} rejected` : "";
    lines.push(`  ${show(f.location).padEnd(width)}  ${counts}${rejected}`);
    for (const r of f.rejected) {
      const where = r.line != null ? `:${r.line}` : r.docIndex != null ? ` (document ${r.docIndex + 1})` : "";
      const field = r.field ? ` ${r.field}` : "";
      const entity = r.entityRef ? ` (${r.entityRef})` : "";
      lines.push(`      ✗ ${show(f.location)}${where}${field}${entity}: ${r.name}: ${r.message}`);
    }
  }
  lines.push(`Summary: ${formatSummary(sumSummaries(responses))} in ${files.length} file${files.length === 1 ? "" : "s"}`);
  return lines.join("\n");
}
