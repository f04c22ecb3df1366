#!/usr/bin/env node
/**
 * A deterministic synthetic catalog in the peer benchmark's mix (performance-targets.md): N entities in N/10
 * catalog-info.yaml files; 60% components (about 44% of them services), 15% APIs, 8% resources, 4% systems,
 * 1% domains, 2% groups, 10% users. Every reference resolves: owners are teams (groups), components and APIs
 * belong to systems, systems to domains, providesApis/consumesApis/dependsOn point at existing entities, users
 * are memberOf teams, groups form an organization → department → team hierarchy. Names, titles, descriptions
 * and tags are built from word lists so full-text queries have something to find.
 *
 * Library: generateDataset({ entities, seed }). CLI: `node scripts/bench/dataset.mjs --entities N --out DIR`
 * writes the files to disk (to load the very same catalog into Backstage for a side-by-side run).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { dump } from "js-yaml";

/** mulberry32: small, fast, good enough for test data; same seed → same catalog. */
export function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const AREAS = [
  "payments", "billing", "checkout", "orders", "inventory", "shipping", "catalog", "search", "identity", "accounts",
  "profile", "notifications", "messaging", "analytics", "reporting", "pricing", "promotions", "loyalty", "fraud", "risk",
  "compliance", "warehouse", "fulfillment", "returns", "reviews", "recommendations", "media", "content", "marketing", "support",
  "onboarding", "subscriptions", "invoicing", "tax", "partner", "mobile", "storefront", "logistics", "treasury", "insurance",
];
const ROLES = [
  "service", "worker", "processor", "engine", "gateway", "adapter", "scheduler", "indexer", "aggregator", "router",
  "store", "cache", "sync", "exporter", "importer", "validator", "tracker", "monitor", "ledger", "resolver",
  "dispatcher", "collector", "bridge", "planner", "matcher", "scorer", "renderer", "portal", "console", "orchestrator",
];
const QUALIFIERS = ["core", "edge", "batch", "stream", "internal", "public", "legacy", "next", "lite", "eu", "us", "apac", "v2", "realtime", "admin"];
const LANGS = ["java", "go", "python", "typescript", "kotlin", "rust", "scala", "ruby", "csharp"];
const TECH = ["kafka", "postgres", "redis", "grpc", "graphql", "rest", "kubernetes", "aws", "gcp", "terraform", "elasticsearch", "rabbitmq", "mysql", "dynamodb", "spark"];
const VERBS = ["handles", "computes", "stores", "validates", "routes", "aggregates", "publishes", "reconciles", "indexes", "exposes", "schedules", "tracks"];
const OBJECTS = ["transactions", "events", "customer records", "invoices", "shipments", "price updates", "search queries", "audit logs", "sessions", "payouts", "notifications", "product listings"];
const TEAM_WORDS = ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet", "kilo", "lima", "mike", "november", "oscar", "papa", "quebec", "romeo", "sierra", "tango"];
const FIRST = [
  "ada", "alan", "grace", "linus", "margaret", "dennis", "barbara", "ken", "frances", "edsger", "radia", "donald", "katherine", "john", "hedy",
  "tim", "sophie", "guido", "anita", "bjarne", "lynn", "brian", "adele", "james", "shafi", "niklaus", "joan", "leslie", "mary", "robert",
  "carol", "peter", "elena", "omar", "priya", "wei", "yuki", "lars", "ines", "mateo",
];
const LAST = [
  "lovelace", "turing", "hopper", "torvalds", "hamilton", "ritchie", "liskov", "thompson", "allen", "dijkstra", "perlman", "knuth", "johnson",
  "backus", "lamarr", "berners", "wilson", "rossum", "borg", "stroustrup", "conway", "kernighan", "goldberg", "gosling", "goldwasser", "wirth",
  "clarke", "lamport", "shaw", "floyd", "shannon", "naur", "petrova", "haddad", "raman", "zhang", "tanaka", "nilsson", "garcia", "silva",
];
const LIFECYCLES = [["production", 0.6], ["experimental", 0.25], ["deprecated", 0.15]];
const NON_SERVICE_TYPES = [["website", 0.35], ["library", 0.4], ["tool", 0.25]];
const API_TYPES = [["openapi", 0.6], ["grpc", 0.15], ["asyncapi", 0.15], ["graphql", 0.1]];
const RESOURCE_TYPES = ["database", "s3-bucket", "queue", "cache", "topic"];

const title = (name) => name.split("-").map((w) => (w.length <= 3 && /\d/.test(w) ? w : w[0].toUpperCase() + w.slice(1))).join(" ");

/** Entity counts for N entities in the peer's proportions; components take the rounding remainder. */
export function datasetCounts(n) {
  const domains = Math.max(1, Math.round(n * 0.01));
  const systems = Math.max(1, Math.round(n * 0.04));
  const groups = Math.max(3, Math.round(n * 0.02));
  const users = Math.round(n * 0.1);
  const apis = Math.round(n * 0.15);
  const resources = Math.round(n * 0.08);
  const components = n - domains - systems - groups - users - apis - resources;
  if (components < 1) throw new Error(`--entities ${n} is too small for the dataset mix (need at least ~20)`);
  const services = Math.round(components * 0.4437);
  return { domains, systems, groups, users, components, services, apis, resources };
}

/**
 * @param {{ entities?: number, seed?: number, perFile?: number }} [options]
 * @returns {{
 *   files: { target: string, content: string }[],
 *   entities: { kind: string, name: string, ref: string }[],
 *   counts: ReturnType<typeof datasetCounts> & { total: number, files: number, bytes: number },
 *   fullTextWord: string, fullTextMatches: number,
 * }}
 */
export function generateDataset({ entities: n = 10_000, seed = 42, perFile = 10 } = {}) {
  const rand = prng(seed);
  const int = (k) => Math.floor(rand() * k);
  const pick = (arr) => arr[int(arr.length)];
  const weighted = (pairs) => {
    let r = rand();
    for (const [v, w] of pairs) if ((r -= w) < 0) return v;
    return pairs[pairs.length - 1][0];
  };
  const sample = (arr, k) => {
    const out = new Set();
    const want = Math.min(k, arr.length);
    while (out.size < want) out.add(pick(arr));
    return [...out];
  };
  const counts = datasetCounts(n);
  const used = new Set();
  const unique = (base) => {
    let name = base;
    for (let i = 2; used.has(name); i++) name = `${base}-${i}`;
    used.add(name);
    return name;
  };
  const describe = (what, area, extra = "") =>
    `The ${title(what)} ${pick(VERBS)} ${pick(OBJECTS)} for the ${area} area and ${pick(VERBS)} ${pick(OBJECTS)} ` +
    `on behalf of other teams.${extra ? ` ${extra}` : ""} Runs on ${pick(TECH)} with ${pick(TECH)}.`;
  const annotations = (name) => ({
    "github.com/project-slug": `acme/${name}`,
    "backstage.io/techdocs-ref": "dir:.",
  });

  /** @type {{ kind: string, name: string, area: string, doc: any }[]} */
  const all = [];
  const add = (kind, name, area, doc) => {
    all.push({ kind, name, area, doc });
    return name;
  };

  // Groups: one organization, departments, then teams; the hierarchy is spelled out both ways (parent/children).
  const groupNames = [];
  const groupParent = [];
  const departments = Math.max(1, Math.min(10, Math.round(counts.groups / 20)));
  for (let i = 0; i < counts.groups; i++) {
    let name;
    let type;
    if (i === 0) {
      name = unique("engineering");
      type = "organization";
      groupParent.push(null);
    } else if (i <= departments) {
      name = unique(`${AREAS[(i - 1) % AREAS.length]}-department`);
      type = "department";
      groupParent.push(0);
    } else {
      const dept = 1 + ((i - departments - 1) % departments);
      name = unique(`${AREAS[int(AREAS.length)]}-${pick(TEAM_WORDS)}-team`);
      type = "team";
      groupParent.push(dept);
    }
    groupNames.push({ name, type });
  }
  const teams = groupNames.map((g, i) => ({ ...g, i })).filter((g) => g.type === "team").map((g) => g.name);
  if (!teams.length) teams.push(groupNames[groupNames.length - 1].name);

  const users = [];
  /** @type {{ name: string, displayName: string, memberOf: string[] } | undefined} */
  let firstUser;
  for (let i = 0; i < counts.users; i++) {
    const first = pick(FIRST);
    const last = pick(LAST);
    const name = unique(`${first}.${last}`);
    users.push(name);
    const memberOf = sample(teams, 1 + (rand() < 0.2 ? 1 : 0));
    firstUser ??= { name, displayName: `${title(first)} ${title(last)}`, memberOf };
    add("User", name, "people", {
      apiVersion: "backstage.io/v1alpha1",
      kind: "User",
      metadata: { name, description: `${title(first)} ${title(last)} works on ${memberOf.join(" and ")}.` },
      spec: {
        profile: { displayName: `${title(first)} ${title(last)}`, email: `${name}@example.com` },
        memberOf,
      },
    });
  }
  groupNames.forEach((g, i) => {
    const children = groupNames.filter((_, j) => groupParent[j] === i).map((c) => c.name);
    const area = g.name.split("-")[0];
    add("Group", g.name, area, {
      apiVersion: "backstage.io/v1alpha1",
      kind: "Group",
      metadata: { name: g.name, title: title(g.name), description: `The ${title(g.name)} ${g.type} builds and runs the ${area} platform.` },
      spec: {
        type: g.type,
        profile: { displayName: title(g.name), email: `${g.name}@example.com` },
        ...(groupParent[i] !== null ? { parent: groupNames[groupParent[i]].name } : {}),
        children,
      },
    });
  });

  const domains = [];
  for (let i = 0; i < counts.domains; i++) {
    const area = AREAS[i % AREAS.length];
    const name = unique(i < AREAS.length ? area : `${area}-${QUALIFIERS[Math.floor(i / AREAS.length) % QUALIFIERS.length]}`);
    domains.push({ name, area });
    add("Domain", name, area, {
      apiVersion: "backstage.io/v1alpha1",
      kind: "Domain",
      metadata: { name, title: title(name), description: `Everything about ${area}: the systems, services and data behind it.`, tags: [area] },
      spec: { owner: pick(teams) },
    });
  }

  const systems = [];
  for (let i = 0; i < counts.systems; i++) {
    const domain = domains[i % domains.length];
    const name = unique(`${domain.area}-${pick(ROLES)}-platform`);
    const owner = pick(teams);
    systems.push({ name, area: domain.area, owner });
    add("System", name, domain.area, {
      apiVersion: "backstage.io/v1alpha1",
      kind: "System",
      metadata: { name, title: title(name), description: describe(name, domain.area), tags: [domain.area, pick(TECH)] },
      spec: { owner, domain: domain.name },
    });
  }

  // Names first, so relations can point anywhere (forward references resolve once everything is loaded).
  const componentInfo = [];
  for (let i = 0; i < counts.components; i++) {
    const system = pick(systems);
    const isService = i < counts.services;
    const type = isService ? "service" : weighted(NON_SERVICE_TYPES);
    const name = unique(`${system.area}-${pick(ROLES)}-${pick(QUALIFIERS)}`);
    componentInfo.push({ name, system, type, owner: rand() < 0.8 ? system.owner : pick(teams) });
  }
  const services = componentInfo.filter((c) => c.type === "service");
  const apiInfo = [];
  for (let i = 0; i < counts.apis; i++) {
    const provider = services.length ? services[i % services.length] : componentInfo[i % componentInfo.length];
    const type = weighted(API_TYPES);
    const name = unique(`${provider.system.area}-${pick(ROLES)}-${type === "openapi" ? "api" : type}`);
    apiInfo.push({ name, type, provider });
  }
  const resourceInfo = [];
  for (let i = 0; i < counts.resources; i++) {
    const system = pick(systems);
    const type = RESOURCE_TYPES[i % RESOURCE_TYPES.length];
    resourceInfo.push({ name: unique(`${system.area}-${pick(ROLES)}-${type === "s3-bucket" ? "bucket" : type}`), type, system, owner: system.owner });
  }
  const providedBy = new Map();
  for (const a of apiInfo) {
    if (!providedBy.has(a.provider.name)) providedBy.set(a.provider.name, []);
    providedBy.get(a.provider.name).push(a.name);
  }
  const apiNames = apiInfo.map((a) => a.name);
  const dependencyTargets = [
    ...componentInfo.filter((c) => c.type !== "website").map((c) => `component:${c.name}`),
    ...resourceInfo.map((r) => `resource:${r.name}`),
  ];

  const byRepo = [];
  for (const c of componentInfo) {
    const tags = [c.system.area, pick(LANGS), ...sample(TECH, int(3))];
    const consumes = c.type === "service" || c.type === "website" ? sample(apiNames, int(4)) : [];
    const depends = sample(dependencyTargets, int(4)).filter((d) => d !== `component:${c.name}`);
    byRepo.push(add("Component", c.name, c.system.area, {
      apiVersion: "backstage.io/v1alpha1",
      kind: "Component",
      metadata: {
        name: c.name,
        title: title(c.name),
        description: describe(c.name, c.system.area, `Part of ${title(c.system.name)}.`),
        tags: [...new Set(tags)],
        annotations: annotations(c.name),
        links: [{ url: `https://dashboards.example.com/${c.name}`, title: "Dashboard", icon: "dashboard" }],
      },
      spec: {
        type: c.type,
        lifecycle: weighted(LIFECYCLES),
        owner: c.owner,
        system: c.system.name,
        ...(providedBy.has(c.name) ? { providesApis: providedBy.get(c.name) } : {}),
        ...(consumes.length ? { consumesApis: consumes } : {}),
        ...(depends.length ? { dependsOn: depends } : {}),
      },
    }));
  }
  for (const a of apiInfo) {
    add("API", a.name, a.provider.system.area, {
      apiVersion: "backstage.io/v1alpha1",
      kind: "API",
      metadata: {
        name: a.name,
        title: title(a.name),
        description: describe(a.name, a.provider.system.area, `Served by ${title(a.provider.name)}.`),
        tags: [a.provider.system.area, a.type],
      },
      spec: { type: a.type, lifecycle: weighted(LIFECYCLES), owner: a.provider.owner, system: a.provider.system.name, definition: apiDefinition(a) },
    });
  }
  for (const r of resourceInfo) {
    add("Resource", r.name, r.system.area, {
      apiVersion: "backstage.io/v1alpha1",
      kind: "Resource",
      metadata: { name: r.name, title: title(r.name), description: describe(r.name, r.system.area), tags: [r.system.area, r.type] },
      spec: { type: r.type, owner: r.owner, system: r.system.name },
    });
  }

  // Files of `perFile` documents, in generation order (org data together, then systems, components, APIs, resources).
  const files = [];
  let bytes = 0;
  for (let i = 0, f = 0; i < all.length; i += perFile, f++) {
    const docs = all.slice(i, i + perFile);
    const content = docs.map((d) => dump(d.doc, { lineWidth: -1, noRefs: true })).join("---\n");
    bytes += Buffer.byteLength(content);
    files.push({ target: `/bench/repos/${String(f).padStart(5, "0")}-${docs[0].name}/catalog-info.yaml`, content });
  }

  // A full-text word from the data: the role word closest to 2% of entities by name or title (substring).
  const fullTextWord = [...ROLES]
    .map((w) => ({ w, n: all.filter((e) => e.name.includes(w) || (e.doc.metadata.title ?? "").toLowerCase().includes(w)).length }))
    .sort((a, b) => Math.abs(a.n - n * 0.02) - Math.abs(b.n - n * 0.02))[0];

  // The signed-in member the bench reads as: the first user, with the ownership claims sign-in gives them
  // (worker/identity/store.ts resolveUser: the user, its groups and their parents, transitively; groups sorted).
  let member = null;
  if (firstUser) {
    const claims = new Set();
    const byName = new Map(groupNames.map((g, i) => [g.name, i]));
    for (const team of firstUser.memberOf) {
      for (let i = byName.get(team); i !== undefined && i !== null; i = groupParent[i] ?? undefined) claims.add(`group:default/${groupNames[i].name}`);
    }
    const ref = `user:default/${firstUser.name}`;
    member = { ref, login: firstUser.name, displayName: firstUser.displayName, hasEntity: true, ownershipRefs: [ref, ...[...claims].sort()] };
  }

  return {
    files,
    member,
    entities: all.map((e) => ({ kind: e.kind, name: e.name, ref: `${e.kind.toLowerCase()}:default/${e.name}` })),
    counts: { ...counts, services: services.length, total: all.length, files: files.length, bytes },
    fullTextWord: fullTextWord.w,
    fullTextMatches: fullTextWord.n,
  };
}

function apiDefinition(a) {
  switch (a.type) {
    case "grpc":
      return `syntax = "proto3";\npackage ${a.name.replaceAll("-", "_")};\n\nservice ${title(a.name).replaceAll(" ", "")} {\n  rpc Get (GetRequest) returns (Item);\n  rpc List (ListRequest) returns (stream Item);\n}\n\nmessage GetRequest { string id = 1; }\nmessage ListRequest { int32 page_size = 1; string page_token = 2; }\nmessage Item { string id = 1; string name = 2; int64 updated_at = 3; }\n`;
    case "graphql":
      return `type Query {\n  item(id: ID!): Item\n  items(first: Int, after: String): [Item!]!\n}\n\ntype Item {\n  id: ID!\n  name: String!\n  updatedAt: String\n}\n`;
    case "asyncapi":
      return `asyncapi: 2.6.0\ninfo:\n  title: ${title(a.name)}\n  version: 1.0.0\nchannels:\n  ${a.provider.system.area}.events:\n    subscribe:\n      message:\n        payload:\n          type: object\n          properties:\n            id: { type: string }\n            type: { type: string }\n`;
    default:
      return `openapi: 3.0.3\ninfo:\n  title: ${title(a.name)}\n  version: 1.0.0\npaths:\n  /items:\n    get:\n      summary: List items\n      responses:\n        "200":\n          description: A page of items\n  /items/{id}:\n    get:\n      summary: Get one item\n      parameters:\n        - { name: id, in: path, required: true, schema: { type: string } }\n      responses:\n        "200":\n          description: The item\n        "404":\n          description: Not found\n`;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { entities: { type: "string" }, out: { type: "string" }, seed: { type: "string" } } });
  const ds = generateDataset({ entities: Number(values.entities ?? 10_000), seed: Number(values.seed ?? 42) });
  if (values.out) {
    const out = resolve(values.out);
    for (const f of ds.files) {
      const path = join(out, f.target.replace(/^\/bench\//, ""));
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, f.content);
    }
    const location = { apiVersion: "backstage.io/v1alpha1", kind: "Location", metadata: { name: "bench" }, spec: { targets: ds.files.map((f) => `./${f.target.replace(/^\/bench\//, "")}`) } };
    writeFileSync(join(out, "catalog-info.yaml"), dump(location, { lineWidth: -1 }));
    console.log(`wrote ${ds.files.length} files (+ a root Location) to ${out}`);
  }
  console.log(JSON.stringify({ counts: ds.counts, fullTextWord: ds.fullTextWord, fullTextMatches: ds.fullTextMatches }, null, 2));
}
