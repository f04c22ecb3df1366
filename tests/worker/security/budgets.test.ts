/**
 * Budgets: one file, one query or one cache cannot make the worker do unbounded work. Over a budget the
 * answer is a clear 4xx (or a processing error recorded against the file), never a 500, and nothing that
 * was valid before is lost.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { ResponseCache, acceptsGzip, neverServedAgain } from "../../../worker/catalog/read-cache";
import { MAX_FILTER_STATEMENTS } from "../../../worker/catalog/query";
import { api, component, getJson, ingest, uniq, yamlDocs } from "../helpers";

/** (100 bound parameters − 10 for the rest of a read) / 2 per statement; spelled out so a change is deliberate. */
const CAP = 45;

function expectInputError(res: { status: number; body: any }, message: RegExp) {
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ error: { name: "InputError", message: expect.stringMatching(message) }, response: { statusCode: 400 } });
}

async function send(path: string, init?: RequestInit) {
  const res = await api(path, init);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

const byRefs = (path: string, refs: string[] = ["component:default/budget-a"]) =>
  send(path, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ entityRefs: refs }) });

/** The four reads that take Backstage filters. */
const FILTERED = [
  (qs: string) => send(`/api/catalog/entities?${qs}`),
  (qs: string) => send(`/api/catalog/entities/by-query?${qs}`),
  (qs: string) => send(`/api/catalog/entity-facets?facet=kind&${qs}`),
  (qs: string) => byRefs(`/api/catalog/entities/by-refs?${qs}`),
];

beforeAll(async () => {
  await ingest("/budget", {
    "/budget/a.yaml": yamlDocs(component("budget-a", { type: "service" }), component("budget-b", { type: "website", system: "budget-sys" })),
  });
});

describe("per-file YAML budgets", () => {
  /** One document whose anchors expand to 1.5 million characters: within a per-document budget. */
  function expandingDocument(i: number): string {
    return [
      "apiVersion: backstage.io/v1alpha1",
      "kind: Component",
      "metadata:",
      `  name: bomb-${i}`,
      "spec:",
      "  type: service",
      "  lifecycle: production",
      "  owner: team-a",
      `  a: &a${i} "${"x".repeat(300)}"`,
      `  b: &b${i} [${Array(10).fill(`*a${i}`).join(", ")}]`,
      `  c: &c${i} [${Array(10).fill(`*b${i}`).join(", ")}]`,
      `  d: &d${i} [${Array(10).fill(`*c${i}`).join(", ")}]`,
      `  e: [${Array(5).fill(`*d${i}`).join(", ")}]`,
    ].join("\n");
  }

  it("counts alias expansion across the whole file: a small file of expanding documents is one processing error", async () => {
    const root = `/${uniq("bomb")}`;
    const file = `${root}/catalog.yaml`;
    await ingest(root, { [file]: component("bomb-keeper") });
    const bomb = Array.from({ length: 12 }, (_, i) => expandingDocument(i)).join("\n---\n");
    expect(bomb.length).toBeLessThan(8 * 1024);
    const report = await ingest(root, { [file]: bomb });
    const rejected = report.files[0].rejected;
    expect(rejected).toHaveLength(1);
    expect(rejected[0]).toMatchObject({ entityRef: null, docIndex: null, name: "InputError" });
    expect(rejected[0].message).toMatch(/YAML aliases expand to more than \d+ characters; the limit is \d+ per file/);
    // The file was not understood: what it held before stays.
    expect(report.summary).toMatchObject({ added: 0, removed: 0 });
    expect((await getJson("/api/catalog/entities/by-name/component/default/bomb-keeper")).status).toBe(200);
  });

  it("counts aliases across documents", async () => {
    const root = `/${uniq("aliases")}`;
    const doc = (i: number) => `a${i}: &x${i} 1\nb${i}: [${Array(1000).fill(`*x${i}`).join(",")}]`;
    const report = await ingest(root, { [`${root}/c.yaml`]: Array.from({ length: 11 }, (_, i) => doc(i)).join("\n---\n") });
    expect(report.files[0].rejected.map((r) => r.message)).toEqual([expect.stringMatching(/more than 10000 YAML aliases; the limit is 10000 per file/)]);
  });

  it("refuses a file of 40,000 tiny documents before parsing it, keeping the file's entities", async () => {
    const root = `/${uniq("many")}`;
    const file = `${root}/catalog.yaml`;
    await ingest(root, { [file]: component("many-keeper") });
    const many = Array.from({ length: 40_000 }, (_, i) => `---\napiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata: {name: t${i}}\n`).join("");
    const report = await ingest(root, { [file]: many });
    expect(report.files[0].rejected).toEqual([expect.objectContaining({ docIndex: null, message: expect.stringMatching(/the limit is 5000 YAML documents per file/) })]);
    expect(report.summary).toMatchObject({ added: 0, removed: 0 });
    expect((await getJson("/api/catalog/entities/by-name/component/default/many-keeper")).status).toBe(200);
  });

  it("counts bare documents after `...` end markers too", async () => {
    const root = `/${uniq("ends")}`;
    const report = await ingest(root, { [`${root}/c.yaml`]: "a: 1\n...\n".repeat(6000) });
    expect(report.files[0].rejected.map((r) => r.message)).toEqual([expect.stringMatching(/limit is 5000 YAML documents per file/)]);
  });
});

describe("filter caps", () => {
  it(`answers 600 filter parameters with an InputError naming the cap (${CAP}) on every filtered read`, async () => {
    expect(MAX_FILTER_STATEMENTS).toBe(CAP);
    const qs = Array.from({ length: 600 }, (_, i) => `filter=${encodeURIComponent(`metadata.name=n${i}`)}`).join("&");
    for (const read of FILTERED) expectInputError(await read(qs), new RegExp(`at most ${CAP}`));
  });

  it("answers 700 relation statements in one filter with an InputError naming the cap", async () => {
    const filter = Array.from({ length: 700 }, (_, i) => `relations.t${i}=g${i}`).join(",");
    for (const read of FILTERED) expectInputError(await read(`filter=${encodeURIComponent(filter)}`), new RegExp(`Too many filter statements \\(700\\): at most ${CAP}`));
  });

  it("answers a cursor carrying more statements than the cap with an InputError", async () => {
    const anyOf = [Array.from({ length: CAP + 1 }, (_, i) => ({ key: `k${i}`, values: ["v"] }))];
    const cursor = btoa(JSON.stringify({ filter: { anyOf }, position: { value: null, id: 1 }, backwards: false, totalItems: 1 }));
    expectInputError(await send(`/api/catalog/entities/by-query?cursor=${encodeURIComponent(cursor)}`), /Too many filter statements/);
  });

  it("accepts filters right at the cap on every filtered read, ordered or not (D1 binds at most 100 parameters)", async () => {
    const statements = (n: number, kind: "value" | "relation" | "exists" | "values") =>
      Array.from({ length: n }, (_, i) =>
        kind === "relation" ? `relations.type${i}=group:default/g${i}` : kind === "exists" ? `spec.k${i}` : kind === "values" ? `spec.k${i}=a,spec.k${i}=b` : `spec.k${i}=v`,
      );
    const shapes = [
      // One filter of ANDed statements, many ORed single-statement filters, and a mix.
      [statements(CAP, "relation").join(",")],
      statements(CAP, "values"),
      [...statements(20, "exists"), statements(CAP - 20, "relation").join(",")],
      ["kind=component", ...statements(CAP - 1, "value")],
    ];
    const orders = ["", "&order=asc:metadata.name&order=desc:spec.type&order=asc:a&order=asc:b&order=asc:c", "&orderField=metadata.name,desc&fullTextFilterTerm=budget&fullTextFilterFields=spec.type", "&limit=3&offset=2"];
    for (const shape of shapes) {
      const qs = shape.map((f) => `filter=${encodeURIComponent(f)}`).join("&");
      for (const extra of orders) for (const read of FILTERED) expect((await read(qs + extra)).status).toBe(200);
    }
  });
});

describe("cursors", () => {
  const json = fc.jsonValue({ maxDepth: 4 });
  /** Cursors shaped like ours, mostly right, with wrong types here and there, so validation deeper than the envelope runs. */
  const mostly = <T>(right: fc.Arbitrary<T>) => fc.oneof({ arbitrary: right, weight: 4 }, { arbitrary: json, weight: 1 });
  const statement = fc.record({ key: mostly(fc.string({ maxLength: 8 })), values: mostly(fc.option(fc.array(mostly(fc.string({ maxLength: 5 })), { maxLength: 2 }))) }, { requiredKeys: [] });
  const nearCursor = fc.record({
    filter: mostly(fc.record({ anyOf: mostly(fc.array(mostly(fc.array(mostly(statement), { maxLength: 3 })), { maxLength: 3 })) })),
    order: fc.oneof(fc.constant(undefined), mostly(fc.record({ field: mostly(fc.string({ maxLength: 8 })), order: mostly(fc.constantFrom("asc", "desc")) }))),
    fullText: fc.oneof(fc.constant(undefined), mostly(fc.record({ term: mostly(fc.string({ maxLength: 8 })), fields: mostly(fc.array(mostly(fc.string({ maxLength: 8 })), { maxLength: 2 })) }))),
    position: mostly(fc.record({ value: mostly(fc.option(fc.string({ maxLength: 5 }))), id: mostly(fc.integer()) })),
    backwards: mostly(fc.boolean()),
    totalItems: mostly(fc.nat()),
    before: mostly(fc.integer()),
    limit: mostly(fc.integer()),
    offset: mostly(fc.integer()),
  }, { requiredKeys: [] });
  const base64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
  const cursor = fc.oneof(
    nearCursor.map((c) => base64(JSON.stringify(c))),
    json.map((v) => base64(JSON.stringify(v))),
    fc.string({ maxLength: 40 }).map(base64),
    fc.base64String({ maxLength: 60 }),
    fc.string({ maxLength: 40 }),
  );

  it("answers any cursor with 200 or a 4xx in Backstage's error shape, never a 500", async () => {
    await fc.assert(
      fc.asyncProperty(cursor, fc.constantFrom("/api/catalog/entities/by-query?cursor=", "/api/catalog/entities?limit=5&after=", "/api/catalog/changes?cursor="), async (c, path) => {
        const res = await send(`${path}${encodeURIComponent(c)}`);
        if (res.status === 200) return;
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.body).toMatchObject({ error: { name: "InputError", message: expect.any(String) }, response: { statusCode: res.status } });
      }),
      { numRuns: 200 },
    );
  });

  it("names the field of a cursor with a wrong type", async () => {
    const bad = btoa(JSON.stringify({ filter: { anyOf: [[{ key: 5, values: null }]] }, position: { value: null, id: 1 }, backwards: false, totalItems: 1 }));
    expectInputError(await send(`/api/catalog/entities/by-query?cursor=${encodeURIComponent(bad)}`), /cursor\.filter\.anyOf\.0\.0\.key/);
  });
});

describe("limits and offsets", () => {
  it("refuses a by-query window beyond offset + limit = 10000 instead of reading it", async () => {
    expectInputError(await send("/api/catalog/entities/by-query?offset=100000&limit=10000"), /Invalid offset, must be at most 10000/);
    expectInputError(await send("/api/catalog/entities/by-query?offset=9000&limit=2000"), /offset \+ limit must be at most 10000/);
    expect((await send("/api/catalog/entities/by-query?offset=9999&limit=1")).status).toBe(200);
  });

  it("refuses limits above 10000 and offsets above 1000000 on GET /entities, also inside the after cursor", async () => {
    expectInputError(await send("/api/catalog/entities?limit=20000"), /^Invalid limit, must be at most 10000$/);
    expectInputError(await send("/api/catalog/entities/by-query?limit=20000"), /^Invalid limit, must be at most 10000$/);
    expectInputError(await send("/api/catalog/entities?offset=1000000000000"), /^Invalid offset, must be at most 1000000$/);
    const after = btoa(JSON.stringify({ limit: 5, offset: 10 ** 9 }));
    expectInputError(await send(`/api/catalog/entities?after=${encodeURIComponent(after)}`), /after\.offset/);
  });
});

describe("the read cache", () => {
  const response = (bytes: number, version = 1) => ({ version, body: new Uint8Array(bytes), contentType: "application/json" });

  it("counts key bytes: large keys fill the budget as their bodies do", () => {
    const cache = new ResponseCache({ maxBytes: 100_000, maxEntries: 1000, maxEntryBytes: 50_000, random: () => 0 });
    const key = (i: number) => `GET /api/catalog/entities/by-query?pad=${"k".repeat(20_000)}&i=${i}`;
    for (let i = 0; i < 10; i++) {
      expect(cache.admit(key(i), 1, 10)).toBe(true);
      cache.set(key(i), response(10));
      // Each entry keeps a 20,000-character key (40,000 bytes as UTF-16): at most two fit in 100,000 bytes.
      expect(cache.bytes).toBeLessThanOrEqual(100_000);
      expect(cache.size).toBeLessThanOrEqual(2);
    }
    expect(cache.bytes).toBeGreaterThan(2 * 40_000);
    expect(cache.has(key(9))).toBe(true);
    expect(cache.has(key(0))).toBe(false);
  });

  it("bounds the number of entries whatever their size, evicting the least recently used", () => {
    const cache = new ResponseCache({ maxBytes: 10_000_000, maxEntries: 3, maxEntryBytes: 1000, random: () => 0 });
    for (const k of ["a", "b", "c"]) cache.set(k, response(1));
    cache.get("a");
    cache.set("d", response(1));
    expect(cache.size).toBe(3);
    expect(["a", "b", "c", "d"].filter((k) => cache.has(k))).toEqual(["a", "c", "d"]);
  });

  it("makes room first with the stale entries nothing can serve again, not those a fingerprint or the feed can", () => {
    const cache = new ResponseCache({ maxBytes: 3 * (2 + 1000 + 160) + 100, maxEntries: 100, maxEntryBytes: 2000, random: () => 0 });
    const body = { body: new Uint8Array(1000), contentType: "", tags: ["kind:component"] };
    cache.set("f", { ...body, version: "1", fingerprint: "1:0" }); // stale, but a fingerprint can revalidate it
    cache.set("d", { ...body, version: "1", feedDependency: { refs: ["component:default/x"] }, feedSeq: 3 }); // stale, the feed can
    cache.set("s", { ...body, version: "1" }); // stale, and nothing can serve it again
    const now = Object.assign(new Map([["kind:component", 2]]), { bookmark: null });
    expect(cache.admit("n", "2", 1000, neverServedAgain(now))).toBe(true);
    cache.set("n", { ...body, version: "2" });
    expect(["f", "d", "s", "n"].filter((k) => cache.has(k))).toEqual(["f", "d", "n"]);
    // An entry whose tags have not moved is never swept, whatever it carries.
    expect(neverServedAgain(now)({ ...body, version: "2" })).toBe(false);
  });

  it("reads Accept-Encoding as RFC 9110 does: gzip or * without q=0, any case and spacing", () => {
    expect(["gzip", "br, gzip", "GZIP;q=0.5", "*", "deflate, *;q=1"].map(acceptsGzip)).toEqual([true, true, true, true, true]);
    expect([undefined, "", "identity", "br", "gzip;q=0", "gzip; q=0.000", "x-gzip2"].map(acceptsGzip)).toEqual([false, false, false, false, false, false, false]);
    fc.assert(
      fc.property(fc.string(), (header) => {
        // Whatever the header, only a listed gzip or * coding can turn compression on.
        if (acceptsGzip(header)) expect(header.toLowerCase().split(",").some((p) => ["gzip", "*"].includes(p.split(";")[0].trim()))).toBe(true);
      }),
    );
  });

  it("keeps its accounting exact through any sequence of stores, hits and removals", () => {
    const op = fc.oneof(
      fc.record({ op: fc.constant("set" as const), key: fc.string({ maxLength: 3000 }), bytes: fc.nat(3000), version: fc.integer({ min: 1, max: 3 }) }),
      fc.record({ op: fc.constant("get" as const), key: fc.string({ maxLength: 3 }) }),
      fc.record({ op: fc.constant("delete" as const), key: fc.string({ maxLength: 3 }) }),
      // A compressed body attached to what get() returned then (the entry may since have been replaced).
      fc.record({ op: fc.constant("gzip" as const), key: fc.string({ maxLength: 3 }), bytes: fc.nat(3000), stale: fc.boolean() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (ops, r) => {
        const cache = new ResponseCache({ maxBytes: 20_000, maxEntries: 5, maxEntryBytes: 2500, random: () => r });
        const kept = new Map<string, number>();
        for (const o of ops) {
          if (o.op === "set") {
            if (cache.admit(o.key, o.version, o.bytes)) cache.set(o.key, response(o.bytes, o.version));
          } else if (o.op === "get") cache.get(o.key);
          else if (o.op === "gzip") {
            const entry = cache.get(o.key);
            const before = cache.bytes;
            if (entry) cache.attachGzip(o.key, o.stale ? { ...entry, body: new Uint8Array(1) } : entry, new Uint8Array(o.bytes));
            // A replaced entry never takes another entry's compressed body.
            if (o.stale) expect(cache.bytes).toBe(before);
          } else cache.delete(o.key);
          expect(cache.bytes).toBeLessThanOrEqual(20_000);
          expect(cache.size).toBeLessThanOrEqual(5);
        }
        for (const o of ops) if (o.op === "set" && cache.has(o.key)) kept.set(o.key, 2 * o.key.length);
        // Every kept entry's key is in the total.
        expect(cache.bytes).toBeGreaterThanOrEqual([...kept.values()].reduce((a, b) => a + b, 0));
        if (cache.size === 0) expect(cache.bytes).toBe(0);
      }),
      { numRuns: 300 },
    );
  });
});
