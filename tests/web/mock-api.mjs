#!/usr/bin/env node
/**
 * Development-only stand-in for the worker's API (the real one is built concurrently): serves dist/ with
 * SPA fallback and answers the catalog endpoints from Backstage's example YAML, optionally padded with
 * synthetic entities. Not used by the test suites, which run against `wrangler dev`.
 *
 *   node tests/web/mock-api.mjs [--port 8790] [--synthetic 10000] [--fixtures <dir>]
 */
import { readFileSync, readdirSync, statSync, existsSync } from "node:fs";
import { createServer } from "node:http";
import { extname, join, resolve } from "node:path";
import { loadAll } from "js-yaml";

const args = process.argv.slice(2);
const arg = (name, def) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : def;
};
const PORT = Number(arg("port", "8790"));
const SYNTHETIC = Number(arg("synthetic", "0"));
const FIXTURES = resolve(arg("fixtures", "/work/shared/fixtures/backstage-examples/backstage-2022-06/packages/catalog-model/examples"));
const DIST = resolve("dist");

/* ---------- catalog ---------- */
const entities = [];
function walk(dir) {
  for (const f of readdirSync(dir)) {
    const p = join(dir, f);
    if (statSync(p).isDirectory()) walk(p);
    else if (f.endsWith(".yaml")) {
      for (const doc of loadAll(readFileSync(p, "utf8"))) {
        if (doc && typeof doc === "object" && doc.kind && doc.kind !== "Location") {
          doc.metadata.namespace ??= "default";
          doc.metadata.annotations = {
            "backstage.io/managed-by-location": `url:https://github.com/acme/catalog/blob/main/${p.slice(FIXTURES.length + 1)}`,
            "backstage.io/view-url": `https://github.com/acme/catalog/blob/main/${p.slice(FIXTURES.length + 1)}`,
            "backstage.io/edit-url": `https://github.com/acme/catalog/edit/main/${p.slice(FIXTURES.length + 1)}`,
            ...(doc.metadata.annotations ?? {}),
          };
          entities.push(doc);
        }
      }
    }
  }
}
if (existsSync(FIXTURES)) walk(FIXTURES);

const rnd = (() => {
  let s = 42;
  return () => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
})();
const pick = (a) => a[Math.floor(rnd() * a.length)];
if (SYNTHETIC > 0) {
  const groups = Array.from({ length: 40 }, (_, i) => `squad-${i}`);
  const systems = Array.from({ length: 60 }, (_, i) => `platform-${i}`);
  const words = ["billing", "ledger", "search", "profile", "checkout", "orders", "inventory", "payments", "notify", "auth", "reports", "media", "gateway", "catalog", "pricing"];
  const tags = ["java", "go", "python", "typescript", "grpc", "rest", "kafka", "postgres", "redis", "internal", "pci"];
  for (const g of groups) entities.push({ apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: g, namespace: "default" }, spec: { type: "team", children: [] } });
  for (let i = 0; i < 10; i++) entities.push({ apiVersion: "backstage.io/v1alpha1", kind: "Domain", metadata: { name: `domain-${i}`, namespace: "default" }, spec: { owner: pick(groups) } });
  for (const s of systems) entities.push({ apiVersion: "backstage.io/v1alpha1", kind: "System", metadata: { name: s, namespace: "default", description: `The ${s} system` }, spec: { owner: pick(groups), domain: `domain-${Math.floor(rnd() * 10)}` } });
  const n = SYNTHETIC - groups.length - systems.length - 10;
  for (let i = 0; i < n; i++) {
    const w = `${pick(words)}-${pick(words)}-${i}`;
    const kind = i % 5 === 0 ? "API" : i % 11 === 0 ? "Resource" : "Component";
    entities.push({
      apiVersion: "backstage.io/v1alpha1",
      kind,
      metadata: { name: w, namespace: i % 17 === 0 ? "ops" : "default", description: `Handles ${w.replace(/-/g, " ")} for the platform`, tags: [pick(tags), pick(tags)].filter((v, j, a) => a.indexOf(v) === j) },
      spec: kind === "API" ? { type: pick(["openapi", "grpc", "asyncapi"]), lifecycle: pick(["production", "experimental"]), owner: pick(groups), system: pick(systems), definition: "openapi: 3.0.0\ninfo: {title: x, version: '1'}\npaths: {}" } : kind === "Resource" ? { type: pick(["database", "bucket"]), owner: pick(groups), system: pick(systems) } : { type: pick(["service", "website", "library"]), lifecycle: pick(["production", "experimental", "deprecated"]), owner: pick(groups), system: pick(systems) },
    });
  }
}

for (const e of entities) {
  e.metadata.annotations ??= {
    "backstage.io/managed-by-location": `url:https://github.com/acme/${e.metadata.name}/blob/main/catalog-info.yaml`,
  };
}

const refOf = (e) => `${e.kind}:${e.metadata.namespace ?? "default"}/${e.metadata.name}`.toLowerCase();
const parseRef = (r, kind, ns) => {
  let k = kind;
  let rest = r;
  const c = r.indexOf(":");
  if (c > 0) {
    k = r.slice(0, c);
    rest = r.slice(c + 1);
  }
  const s = rest.indexOf("/");
  return `${k}:${s >= 0 ? rest : `${ns}/${rest}`}`.toLowerCase();
};
const byRef = new Map();
for (const e of entities) {
  e.metadata.uid = `uid-${byRef.size}`;
  e.relations = [];
  byRef.set(refOf(e), e);
}
const addRel = (src, type, target, inverse) => {
  src.relations.push({ type, targetRef: target });
  const t = byRef.get(target);
  if (t) t.relations.push({ type: inverse, targetRef: refOf(src) });
};
for (const e of entities) {
  const ns = e.metadata.namespace;
  const s = e.spec ?? {};
  if (s.owner) addRel(e, "ownedBy", parseRef(s.owner, "group", ns), "ownerOf");
  if (s.system) addRel(e, "partOf", parseRef(s.system, "system", ns), "hasPart");
  if (s.domain) addRel(e, "partOf", parseRef(s.domain, "domain", ns), "hasPart");
  if (s.subcomponentOf) addRel(e, "partOf", parseRef(s.subcomponentOf, "component", ns), "hasPart");
  for (const a of s.providesApis ?? []) addRel(e, "providesApi", parseRef(a, "api", ns), "apiProvidedBy");
  for (const a of s.consumesApis ?? []) addRel(e, "consumesApi", parseRef(a, "api", ns), "apiConsumedBy");
  for (const d of s.dependsOn ?? []) addRel(e, "dependsOn", parseRef(d, "component", ns), "dependencyOf");
  for (const g of s.memberOf ?? []) addRel(e, "memberOf", parseRef(g, "group", ns), "hasMember");
  if (s.parent) addRel(e, "childOf", parseRef(s.parent, "group", ns), "parentOf");
}

function flatten(e) {
  const out = new Map();
  const add = (k, v, orig) => {
    const key = k.toLowerCase();
    if (!out.has(key)) out.set(key, []);
    out.get(key).push({ v: v === null ? null : String(v).toLowerCase(), orig: v === null ? null : String(orig ?? v) });
  };
  const rec = (path, v) => {
    if (v === null || v === undefined) return add(path, null);
    if (Array.isArray(v)) {
      for (const x of v) {
        if (typeof x === "string") add(`${path}.${x}`, "true");
        rec(path, x);
      }
    } else if (typeof v === "object") for (const [k, x] of Object.entries(v)) rec(path ? `${path}.${k}` : k, x);
    else add(path, v);
  };
  rec("", { apiVersion: e.apiVersion, kind: e.kind, metadata: e.metadata, spec: e.spec });
  for (const r of e.relations) add(`relations.${r.type}`, r.targetRef);
  return out;
}
const flat = new Map(entities.map((e) => [e, flatten(e)]));

function parseFilters(filters) {
  return filters.map((f) => {
    const conds = new Map();
    for (const stmt of f.split(",")) {
      const s = stmt.trim();
      if (!s) continue;
      const i = s.indexOf("=");
      const k = (i < 0 ? s : s.slice(0, i)).trim().toLowerCase();
      const v = i < 0 ? undefined : s.slice(i + 1).trim().toLowerCase();
      if (!conds.has(k)) conds.set(k, []);
      if (v !== undefined) conds.get(k).push(v);
    }
    return conds;
  });
}
function matches(e, parsed) {
  if (!parsed.length) return true;
  const f = flat.get(e);
  return parsed.some((conds) => [...conds].every(([k, vals]) => {
    const have = f.get(k);
    if (!have) return false;
    return vals.length === 0 || have.some((h) => vals.includes(h.v));
  }));
}

function project(e, fields) {
  if (!fields || !fields.length) return e;
  const out = {};
  for (const path of fields) {
    const parts = path.split(".");
    let src = e;
    let dst = out;
    for (let i = 0; i < parts.length; i++) {
      let key = parts[i];
      while (src && typeof src === "object" && !(key in src) && i < parts.length - 1) key += `.${parts[++i]}`;
      if (!src || typeof src !== "object" || !(key in src)) break;
      if (i === parts.length - 1) dst[key] = src[key];
      else {
        dst[key] ??= {};
        dst = dst[key];
        src = src[key];
      }
    }
  }
  return out;
}

const changes = entities.slice(0, 60).map((e, i) => ({
  id: String(1000 - i),
  entityRef: refOf(e),
  kind: e.kind,
  action: i % 7 === 0 ? "added" : "updated",
  diff: i % 7 === 0 ? null : [{ path: "spec.lifecycle", before: "experimental", after: e.spec?.lifecycle ?? "production" }, { path: "metadata.description", before: "Old description", after: e.metadata.description ?? null }],
  location: e.metadata.annotations["backstage.io/managed-by-location"],
  commitSha: "9f2c1ab77e0d4f5e8c3b2a1d0e9f8a7b6c5d4e3f",
  actor: pick(["octocat", "jane.doe", "renovate[bot]"]),
  createdAt: new Date(Date.now() - i * 3_600_000 * 3).toISOString(),
}));

function json(res, status, body) {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}
function notFound(res, url, msg) {
  json(res, 404, { error: { name: "NotFoundError", message: msg }, request: { method: "GET", url }, response: { statusCode: 404 } });
}

function highlight(text, q) {
  if (!text) return undefined;
  const esc = (s) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
  const i = text.toLowerCase().indexOf(q.toLowerCase());
  if (i < 0) return undefined;
  return `${esc(text.slice(0, i))}<mark>${esc(text.slice(i, i + q.length))}</mark>${esc(text.slice(i + q.length))}`;
}

async function api(req, res, url) {
  const p = url.pathname;
  const sp = url.searchParams;
  await new Promise((r) => setTimeout(r, Number(process.env.MOCK_DELAY ?? 0)));
  if (p === "/api/health") return json(res, 200, { status: "ok" });
  if (p === "/api/catalog/entities/by-query") {
    let state;
    if (sp.get("cursor")) state = JSON.parse(Buffer.from(sp.get("cursor"), "base64").toString());
    else {
      const of = sp.get("orderField");
      state = { filter: sp.getAll("filter"), order: of ? of.split(",") : null, term: sp.get("fullTextFilterTerm") ?? "", tf: (sp.get("fullTextFilterFields") ?? "").split(",").filter(Boolean), offset: 0 };
    }
    const limit = Number(sp.get("limit") ?? 200);
    const fields = (sp.get("fields") ?? "").split(",").filter(Boolean);
    const parsed = parseFilters(state.filter);
    let list = entities.filter((e) => matches(e, parsed));
    if (state.term) {
      const t = state.term.toLowerCase();
      const tf = state.tf.length ? state.tf.map((x) => x.toLowerCase()) : ["metadata.name"];
      list = list.filter((e) => tf.some((k) => (flat.get(e).get(k) ?? []).some((h) => h.v?.includes(t))));
    }
    if (state.order) {
      const [k, dir] = state.order;
      const key = (e) => flat.get(e).get(k.toLowerCase())?.[0]?.v;
      list = list.filter((e) => key(e) != null).sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0) * (dir === "desc" ? -1 : 1));
    }
    const items = list.slice(state.offset, state.offset + limit).map((e) => project(e, fields));
    const next = state.offset + limit < list.length ? Buffer.from(JSON.stringify({ ...state, offset: state.offset + limit })).toString("base64") : undefined;
    return json(res, 200, { items, totalItems: list.length, pageInfo: next ? { nextCursor: next } : {} });
  }
  let m = /^\/api\/catalog\/entities\/by-name\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(p);
  if (m) {
    const [k, ns, n] = m.slice(1).map(decodeURIComponent);
    const e = byRef.get(`${k}:${ns}/${n}`.toLowerCase());
    return e ? json(res, 200, e) : notFound(res, p, `No entity named '${n}' found, with kind '${k}' in namespace '${ns}'`);
  }
  if (p === "/api/catalog/entities/by-refs" && req.method === "POST") {
    let body = "";
    for await (const c of req) body += c;
    const { entityRefs, fields } = JSON.parse(body);
    return json(res, 200, { items: entityRefs.map((r) => (byRef.get(r.toLowerCase()) ? project(byRef.get(r.toLowerCase()), fields) : null)) });
  }
  if (p === "/api/catalog/entity-facets") {
    const parsed = parseFilters(sp.getAll("filter"));
    const list = entities.filter((e) => matches(e, parsed));
    const facets = {};
    for (const f of sp.getAll("facet")) {
      const counts = new Map();
      for (const e of list) {
        const seen = new Set();
        for (const h of flat.get(e).get(f.toLowerCase()) ?? []) if (h.orig !== null && !seen.has(h.orig)) { seen.add(h.orig); counts.set(h.orig, (counts.get(h.orig) ?? 0) + 1); }
      }
      facets[f] = [...counts].map(([value, count]) => ({ value, count }));
    }
    return json(res, 200, { facets });
  }
  if (p === "/api/catalog/changes") {
    const ref = sp.get("entityRef")?.toLowerCase();
    const items = changes.filter((c) => !ref || c.entityRef === ref).slice(0, Number(sp.get("limit") ?? 20));
    return json(res, 200, { items, pageInfo: {} });
  }
  m = /^\/api\/catalog\/entity-info\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(p);
  if (m) {
    const ref = m.slice(1).map(decodeURIComponent).join("/").replace("/", ":").toLowerCase();
    const e = byRef.get(ref);
    if (!e) return notFound(res, p, `No entity ${ref}`);
    const loc = e.metadata.annotations["backstage.io/managed-by-location"];
    const errors = e.metadata.name === "petstore" ? [{ location: loc, entityRef: ref, docIndex: 0, field: "spec.lifecycle", line: 17, name: "InputError", message: "spec.lifecycle must be a string", commitSha: "abc1234", createdAt: new Date().toISOString() }] : [];
    return json(res, 200, { ref, locationKey: loc, originKey: loc, provenance: { repo: "acme/catalog", path: loc.split("/main/")[1], commitSha: "9f2c1ab77e0d4f5e8c3b2a1d0e9f8a7b6c5d4e3f", actor: "octocat", committedAt: new Date(Date.now() - 7200_000).toISOString() }, createdAt: new Date(Date.now() - 86400_000 * 30).toISOString(), updatedAt: new Date(Date.now() - 7200_000).toISOString(), errors });
  }
  if (p === "/api/catalog/processing-errors") return json(res, 200, { items: [] });
  if (p === "/api/catalog/graph") {
    const root = (sp.get("root") ?? "").toLowerCase();
    const depth = Number(sp.get("depth") ?? 1);
    const rels = (sp.get("relations") ?? "").split(",").filter(Boolean).map((r) => r.toLowerCase());
    const max = Number(sp.get("maxNodes") ?? 300);
    if (!byRef.has(root)) return notFound(res, p, `No entity ${root}`);
    const nodes = new Map([[root, 0]]);
    const edges = [];
    let frontier = [root];
    let truncated = false;
    for (let d = 0; d < depth; d++) {
      const next = [];
      for (const r of frontier) {
        const e = byRef.get(r);
        if (!e) continue;
        for (const rel of e.relations) {
          if (rels.length && !rels.includes(rel.type.toLowerCase())) continue;
          if (!nodes.has(rel.targetRef)) {
            if (nodes.size >= max) { truncated = true; continue; }
            nodes.set(rel.targetRef, d + 1);
            next.push(rel.targetRef);
          }
          edges.push({ source: r, type: rel.type, target: rel.targetRef });
        }
      }
      frontier = next;
    }
    return json(res, 200, {
      nodes: [...nodes.keys()].map((r) => {
        const e = byRef.get(r);
        const [kind, rest] = r.split(":");
        const [namespace, name] = rest.split("/");
        return e ? { ref: r, kind: e.kind, namespace, name: e.metadata.name, title: e.metadata.title } : { ref: r, kind, namespace, name, missing: true };
      }),
      edges,
      truncated,
    });
  }
  if (p === "/api/search") {
    const q = (sp.get("q") ?? "").trim();
    const kind = sp.get("kind");
    const limit = Number(sp.get("limit") ?? 20);
    const hits = [];
    for (const e of entities) {
      if (kind && e.kind.toLowerCase() !== kind.toLowerCase()) continue;
      const h = { ref: highlight(refOf(e), q), title: highlight(e.metadata.title ?? e.metadata.name, q), description: highlight(e.metadata.description, q), tags: highlight((e.metadata.tags ?? []).join(", "), q) };
      if (!h.ref && !h.title && !h.description && !h.tags) continue;
      hits.push({ score: h.title ? 2 : h.ref ? 1.5 : 1, item: { ref: refOf(e), kind: e.kind, namespace: e.metadata.namespace, name: e.metadata.name, title: e.metadata.title ?? null, description: e.metadata.description ?? null, highlights: Object.fromEntries(Object.entries(h).filter(([, v]) => v)) } });
    }
    hits.sort((a, b) => b.score - a.score);
    return json(res, 200, { items: hits.slice(0, limit).map((h) => h.item), total: hits.length });
  }
  return notFound(res, p, `No route for ${req.method} ${p}`);
}

const TYPES = { ".html": "text/html", ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json" };
createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  try {
    if (url.pathname.startsWith("/api/")) return await api(req, res, url);
    let file = join(DIST, url.pathname);
    if (!file.startsWith(DIST) || !existsSync(file) || statSync(file).isDirectory()) file = join(DIST, "index.html");
    res.writeHead(200, { "content-type": TYPES[extname(file)] ?? "application/octet-stream" });
    res.end(readFileSync(file));
  } catch (err) {
    json(res, 500, { error: { name: "Error", message: String(err) }, request: {}, response: { statusCode: 500 } });
  }
}).listen(PORT, "127.0.0.1", () => console.log(`mock API + dist on http://127.0.0.1:${PORT} (${entities.length} entities)`));
