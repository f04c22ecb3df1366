/**
 * Property-based bad input at every write endpoint: whatever arrives, the answer is a 4xx in Backstage's
 * error shape (or a processing error in a 200 report), never a 5xx, and what was stored before is untouched.
 */
import { beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { api, ADMIN, component, getJson, ingest } from "../../helpers";

const SENTINEL = "component:default/sentinel";
let sentinelEtag: string;

beforeAll(async () => {
  await ingest("/sentinel", { "/sentinel/c.yaml": component("sentinel") });
  sentinelEtag = (await getJson("/api/catalog/entities/by-name/component/default/sentinel")).body.metadata.etag;
});

async function expectSentinelUntouched() {
  const { status, body } = await getJson("/api/catalog/entities/by-name/component/default/sentinel");
  expect(status).toBe(200);
  expect(body.metadata.etag).toBe(sentinelEtag);
}

function expectErrorShape(status: number, body: any) {
  expect(status).toBeGreaterThanOrEqual(400);
  expect(status).toBeLessThan(500);
  if (body?.errors) return; // /validate-entity's own shape
  expect(body).toMatchObject({ error: { name: expect.any(String), message: expect.any(String) }, response: { statusCode: status } });
}

async function send(method: string, path: string, body: string | undefined, headers: Record<string, string> = ADMIN) {
  const res = await api(path, { method, headers: { "content-type": "application/json", ...headers }, body });
  const text = await res.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = text;
  }
  return { status: res.status, body: parsed as any };
}

const aliasBomb = ["a: &a [x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 9 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [*${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}, *${String.fromCharCode(97 + i)}]`)].join("\n");

/** YAML-ish text: garbage, near-entities with wrong types, unicode and huge names, deep nesting, bombs, duplicate keys. */
const yamlContent = fc.oneof(
  fc.string({ maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  fc.record({
    apiVersion: fc.oneof(fc.constant("backstage.io/v1alpha1"), fc.string(), fc.integer()),
    kind: fc.oneof(fc.constantFrom("Component", "API", "Group", "User", "System", "Domain", "Resource", "Location", "Template"), fc.string()),
    metadata: fc.oneof(
      fc.record({ name: fc.oneof(fc.string({ unit: "grapheme", maxLength: 80 }), fc.string({ minLength: 64, maxLength: 300 }), fc.integer()) }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    spec: fc.jsonValue({ maxDepth: 3 }),
  }).map((v) => JSON.stringify(v)),
  fc.integer({ min: 1, max: 400 }).map((d) => `${"a:\n".split("").join("")}${"[".repeat(d)}${"]".repeat(d)}`),
  fc.constant(aliasBomb),
  fc.constant("apiVersion: backstage.io/v1alpha1\nkind: Component\nkind: API\nmetadata: {name: dup}\n"),
  fc.constant(`apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: sentinel\nspec: {type: x, lifecycle: y, owner: hijack}\n`),
  fc.constantFrom("spec:\n  owner: !!js/function 'function(){}'", "--- !<tag:yaml.org,2002:python/object> {}", "\u0000\u0001", "---\n---\n---"),
);

describe("bad input", () => {
  it("ingest: arbitrary file contents give a 200 report or a 4xx, never touch another file's entities", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(yamlContent, { minLength: 1, maxLength: 3 }), async (contents) => {
        const files = contents.map((content, i) => ({ target: `/fuzz/f${i}.yaml`, content }));
        const res = await send("POST", "/api/catalog/ingest", JSON.stringify({ location: { type: "file", target: "/fuzz" }, files, complete: true }));
        if (res.status !== 200) expectErrorShape(res.status, res.body);
        else for (const f of res.body.files) for (const r of f.rejected) expect(r.message).toEqual(expect.any(String));
      }),
      { numRuns: 60 },
    );
    await expectSentinelUntouched();
  });

  it("ingest: a 5 MB document is rejected as a processing error, and an oversized body with 413", async () => {
    const big = `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: big\n  description: "${"x".repeat(5 * 1024 * 1024)}"\nspec: {type: a, lifecycle: b, owner: c}\n`;
    const res = await send("POST", "/api/catalog/ingest", JSON.stringify({ location: { type: "file", target: "/big" }, files: [{ target: "/big/a.yaml", content: big }] }));
    expect(res.status).toBe(200);
    expect(res.body.files[0].rejected[0].message).toMatch(/large|size|MB/i);
    const huge = await send("POST", "/api/catalog/ingest", JSON.stringify({ location: { type: "file", target: "/big" }, files: [{ target: "/big/a.yaml", content: "x".repeat(17 * 1024 * 1024) }] }));
    expectErrorShape(huge.status, huge.body);
    expect(huge.status).toBe(413);
    await expectSentinelUntouched();
  });

  it("every JSON write endpoint answers arbitrary bodies with a 4xx or success, never a 5xx", async () => {
    const endpoints = [
      ["POST", "/api/catalog/entities/by-refs"],
      ["POST", "/api/catalog/locations"],
      ["POST", "/api/catalog/locations?dryRun=true"],
      ["POST", "/api/catalog/validate-entity"],
      ["POST", "/api/catalog/refresh"],
      ["POST", "/api/catalog/ingest"],
      ["POST", "/api/catalog/locations/by-query"],
    ] as const;
    const body = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
      fc.record({
        entityRefs: fc.oneof(fc.array(fc.string()), fc.jsonValue()),
        type: fc.oneof(fc.constant("url"), fc.string()),
        target: fc.oneof(fc.webUrl(), fc.string()),
        entity: fc.jsonValue({ maxDepth: 3 }),
        location: fc.oneof(fc.constant("url:https://x.invalid/a.yaml"), fc.string()),
        entityRef: fc.oneof(fc.string(), fc.constant("component:default/sentinel")),
        files: fc.jsonValue({ maxDepth: 2 }),
      }, { requiredKeys: [] }).map((v) => JSON.stringify(v)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...endpoints), body, async ([method, path], text) => {
        const res = await send(method, path, text);
        if (res.status >= 400) expectErrorShape(res.status, res.body);
        expect(res.status).toBeLessThan(500);
      }),
      { numRuns: 120 },
    );
    await expectSentinelUntouched();
  });

  it("query parameters: arbitrary filters, fields, orders and cursors never give a 5xx", async () => {
    const param = fc.oneof(fc.string({ maxLength: 60 }), fc.constantFrom("kind=component", "a=b,c", ",,,", "=", "relations.ownedby", "metadata.annotations.x/y=z"));
    await fc.assert(
      fc.asyncProperty(
        fc.record({ filter: fc.array(param, { maxLength: 3 }), fields: param, orderField: param, cursor: param, fullTextFilterTerm: param, limit: fc.oneof(fc.string({ maxLength: 6 }), fc.integer().map(String)) }, { requiredKeys: [] }),
        fc.constantFrom("/api/catalog/entities/by-query", "/api/catalog/entities", "/api/catalog/entity-facets?facet=kind", "/api/search?q=x"),
        async (params, path) => {
          const qs = new URLSearchParams();
          for (const [k, v] of Object.entries(params)) for (const item of Array.isArray(v) ? v : [v]) qs.append(k, item);
          const res = await send("GET", `${path}${path.includes("?") ? "&" : "?"}${qs}`, undefined, {});
          if (res.status >= 400) expectErrorShape(res.status, res.body);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("refs: invalid entity refs in by-name and graph are 4xx or 404, never 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), async (a, b) => {
        const byName = await send("GET", `/api/catalog/entities/by-name/${encodeURIComponent(a)}/default/${encodeURIComponent(b)}`, undefined, {});
        expect([200, 400, 404]).toContain(byName.status);
        const graph = await send("GET", `/api/catalog/graph?root=${encodeURIComponent(a)}&depth=${encodeURIComponent(b)}`, undefined, {});
        expect(graph.status).toBeLessThan(500);
      }),
      { numRuns: 60 },
    );
  });
});
