/**
 * Any query string built from Backstage's read parameters (filter, fields, order, orderField, limit, offset,
 * cursor, after, full text, facet) answers 200 or a 4xx in Backstage's error shape, never a 5xx; and any
 * query within the caps answers 200, so no accepted input runs into a D1 limit (bound parameters,
 * compound terms, expression depth, statement length).
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { api, component, ingest, yamlDocs } from "../helpers";

const CAP = 45;

let realCursor = "";
let realAfter = "";

beforeAll(async () => {
  const docs = Array.from({ length: 8 }, (_, i) => component(`qp-${i}`, { type: i % 2 ? "service" : "website", system: `qp-sys-${i % 3}` }, { tags: [`t${i % 4}`] }));
  await ingest("/qp", { "/qp/a.yaml": yamlDocs(...docs) });
  const page = await (await api("/api/catalog/entities/by-query?limit=2&orderField=metadata.name,asc&filter=kind%3Dcomponent")).json<any>();
  realCursor = page.pageInfo.nextCursor;
  const link = (await api("/api/catalog/entities?limit=2")).headers.get("link") ?? "";
  realAfter = decodeURIComponent(/after=([^&>]+)/.exec(link)?.[1] ?? "");
  expect(realCursor && realAfter).toBeTruthy();
});

const keys = fc.constantFrom("kind", "metadata.name", "metadata.namespace", "spec.type", "spec.system", "metadata.tags", "relations.ownedby", "relations.partof", "metadata.annotations.backstage.io/managed-by-location", "spec.__proto__", "constructor");
const values = fc.constantFrom("component", "Component", "service", "website", "qp-1", "group:default/team-a", "system:default/qp-sys-1", "t1", "", "a=b");
const statement = fc.oneof(
  fc.tuple(keys, values).map(([k, v]) => `${k}=${v}`),
  keys,
  fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 12 })).map(([k, v]) => `${k}=${v}`),
);
const filterString = fc.array(statement, { minLength: 1, maxLength: 4 }).map((s) => s.join(","));
const field = fc.oneof(keys, fc.constantFrom("metadata", "spec", "relations", "spec.providesApis[0]", "a..b", ""), fc.string({ maxLength: 10 }));
const integer = fc.oneof(
  fc.integer({ min: -5, max: 12_000 }).map(String),
  fc.constantFrom("0", "1", "10000", "10001", "99999999999999999999", "1e3", "1.5", "abc", "", " 7", "-0", "1000000", "1000001"),
);

function flip(s: string, at: number): string {
  if (!s) return s;
  const i = at % s.length;
  return s.slice(0, i) + (s[i] === "A" ? "B" : "A") + s.slice(i + 1);
}

const cursor = fc.oneof(
  fc.constant("real"),
  fc.nat().map((n) => `flip:${n}`),
  fc.nat(40).map((n) => `cut:${n}`),
  fc.jsonValue({ maxDepth: 3 }).map((v) => btoa(JSON.stringify(v) ?? "null")),
  fc.string({ maxLength: 30 }),
);
const resolveCursor = (c: string, real: string) =>
  c === "real" ? real : c.startsWith("flip:") ? flip(real, Number(c.slice(5))) : c.startsWith("cut:") ? real.slice(0, Number(c.slice(4))) : c;

type Params = [string, string][];

const params: fc.Arbitrary<Params> = fc
  .record(
    {
      filter: fc.array(filterString, { maxLength: 60 }),
      fields: fc.array(fc.array(field, { minLength: 1, maxLength: 3 }).map((f) => f.join(",")), { maxLength: 3 }),
      order: fc.array(fc.oneof(fc.tuple(fc.constantFrom("asc", "desc", "up"), field).map(([o, f]) => `${o}:${f}`), fc.string({ maxLength: 8 })), { maxLength: 7 }),
      orderField: fc.array(fc.oneof(fc.tuple(field, fc.constantFrom("asc", "desc", "", "sideways")).map(([f, o]) => `${f},${o}`), fc.string({ maxLength: 8 })), { maxLength: 2 }),
      limit: integer,
      offset: integer,
      cursor,
      after: cursor,
      fullTextFilterTerm: fc.oneof(fc.constantFrom("qp", "QP-1", " ", "x"), fc.string({ maxLength: 12 })),
      fullTextFilterFields: fc.array(field, { minLength: 1, maxLength: 3 }).map((f) => f.join(",")),
      totalItems: fc.constantFrom("exclude", "include", ""),
      facet: fc.array(field, { maxLength: 3 }),
    },
    { requiredKeys: [] },
  )
  .map((r) => {
    const out: Params = [];
    for (const [k, v] of Object.entries(r)) {
      for (const item of Array.isArray(v) ? v : [v]) {
        out.push([k, k === "cursor" ? resolveCursor(item, realCursor) : k === "after" ? resolveCursor(item, realAfter) : item]);
      }
    }
    return out;
  });

const ENDPOINTS = ["/api/catalog/entities", "/api/catalog/entities/by-query", "/api/catalog/entity-facets", "/api/catalog/entities/by-refs", `/api/catalog/entities/by-name/component/default/qp-1`] as const;

async function call(endpoint: (typeof ENDPOINTS)[number], query: Params) {
  const qs = new URLSearchParams(query).toString();
  const url = `${endpoint}?${qs}`;
  const res =
    endpoint === "/api/catalog/entities/by-refs"
      ? await api(url, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ entityRefs: ["component:default/qp-1", "component:default/none"] }) })
      : await api(url);
  const text = await res.text();
  return { status: res.status, body: JSON.parse(text), url };
}

describe("query properties", () => {
  it("any mix of read parameters answers 200 or a 4xx in Backstage's error shape, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS), params, async (endpoint, query) => {
        const { status, body, url } = await call(endpoint, query);
        expect(status, url).toBeLessThan(500);
        if (status === 200) return;
        expect(status).toBeGreaterThanOrEqual(400);
        expect(body).toMatchObject({
          error: { name: expect.any(String), message: expect.any(String) },
          request: { method: expect.any(String), url: expect.any(String) },
          response: { statusCode: status },
        });
      }),
      { numRuns: 250 },
    );
  });

  it("any well-formed filter within the caps answers 200 on every filtered read, with or without order and paging", async () => {
    const known = fc.tuple(keys.filter((k) => k !== "constructor"), fc.constantFrom("component", "service", "qp-1", "group:default/team-a", "t1"));
    const wellFormed = fc.array(fc.array(fc.oneof(known.map(([k, v]) => `${k}=${v}`), keys), { minLength: 1, maxLength: 8 }), { minLength: 1, maxLength: CAP })
      .map((filters) => {
        // Keep within the cap: statements are counted after repeated keys in one filter merge.
        const out: string[] = [];
        let n = 0;
        for (const f of filters) {
          const distinct = new Set(f.map((s) => s.split("=")[0].toLowerCase())).size;
          if (n + distinct > CAP) break;
          n += distinct;
          out.push(f.join(","));
        }
        return out;
      });
    const extras = fc.record(
      {
        order: fc.array(fc.tuple(fc.constantFrom("asc", "desc"), keys).map(([o, k]) => `${o}:${k}`), { maxLength: 5 }),
        orderField: fc.tuple(keys, fc.constantFrom("asc", "desc")).map(([k, o]) => `${k},${o}`),
        fullTextFilterTerm: fc.constantFrom("qp", "qp-1", "x"),
        fullTextFilterFields: fc.constantFrom("metadata.name", "metadata.name,metadata.title", "spec.type,spec.system"),
        limit: fc.integer({ min: 1, max: 50 }).map(String),
        offset: fc.integer({ min: 0, max: 20 }).map(String),
        fields: fc.constantFrom("metadata.name", "kind,metadata.name,spec"),
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...ENDPOINTS.slice(0, 4)), wellFormed, extras, async (endpoint, filters, extra) => {
        const query: Params = [...filters.map((f) => ["filter", f] as [string, string]), ...Object.entries(extra).flatMap(([k, v]) => (Array.isArray(v) ? v.map((x) => [k, x] as [string, string]) : [[k, v] as [string, string]]))];
        if (endpoint === "/api/catalog/entity-facets") query.push(["facet", "spec.type"]);
        const { status, body, url } = await call(endpoint, query);
        expect(status, `${url} → ${JSON.stringify(body).slice(0, 300)}`).toBe(200);
      }),
      { numRuns: 80 },
    );
  });
});
