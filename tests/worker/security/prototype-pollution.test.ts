/**
 * Prototype pollution: `__proto__`, `constructor` and `prototype` keys in ingested files, request bodies and
 * query strings are plain data. After every request Object.prototype is unchanged, unrelated requests (a
 * signed webhook ping, the health check, a catalog read) answer normally, and an entity round-trips its
 * hostile keys as data.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import fc from "fast-check";
import { sign } from "@octokit/webhooks-methods";
import pingPayload from "../../fixtures/github/ping.json";
import { stableStringify } from "../../../worker/catalog/hash";
import { ADMIN, api, getJson, ingest, uniq } from "../helpers";

const HOSTILE = ["__proto__", "constructor", "prototype"] as const;
const PROTOTYPES = [Object.prototype, Array.prototype, Function.prototype, String.prototype] as const;
const baseline = PROTOTYPES.map((p) => new Set(Reflect.ownKeys(p)));

/** Keys added to a built-in prototype since the file loaded; removed again so one failure does not spread. */
function pollution(): string[] {
  const found: string[] = [];
  PROTOTYPES.forEach((proto, i) => {
    for (const key of Reflect.ownKeys(proto)) {
      if (baseline[i].has(key)) continue;
      found.push(String(key));
      delete (proto as unknown as Record<PropertyKey, unknown>)[key];
    }
  });
  return found;
}

afterEach(() => {
  pollution();
});

const SENTINEL = "pp-sentinel";

/** The isolate still works for requests that have nothing to do with the hostile one. */
async function expectIsolateHealthy() {
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(pollution()).toEqual([]);
  const health = await getJson("/api/health");
  expect(health).toMatchObject({ status: 200, body: { status: "ok" } });
  const read = await getJson(`/api/catalog/entities/by-name/component/default/${SENTINEL}`);
  expect(read.status).toBe(200);
  expect(read.body.metadata.name).toBe(SENTINEL);
  const ping = JSON.stringify(pingPayload);
  const res = await api("/api/github/webhook", {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-github-event": "ping",
      "x-github-delivery": uniq("ping"),
      "x-hub-signature-256": await sign("test-secret", ping),
    },
    body: ping,
  });
  expect(res.status).toBe(200);
  expect(await res.json()).toMatchObject({ status: "ok" });
}

/** An object with an own property per entry, whatever the key (a literal `{ __proto__: x }` sets the prototype). */
function own(entries: [string, unknown][]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of entries) Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
  return out;
}

const hostileKey = fc.constantFrom(...HOSTILE, "polluted", "toString", "hasOwnProperty", "valueOf", "__defineSetter__");
const anyKey = fc.oneof(hostileKey, hostileKey, fc.stringMatching(/^[a-z][a-z0-9]{0,8}$/));

/** JSON data whose objects are full of hostile keys, nested and inside arrays. */
const hostileData: fc.Arbitrary<unknown> = fc.letrec<{ node: unknown }>((tie) => ({
  node: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    fc.oneof(fc.constant("yes"), fc.integer(), fc.boolean(), fc.constant(null)),
    fc.array(tie("node"), { maxLength: 3 }),
    fc.uniqueArray(fc.tuple(anyKey, tie("node")), { maxLength: 4, selector: ([k]) => k }).map(own),
  ),
})).node;

const polluter = own([["polluted", "yes"]]);

function hostileEntity(name: string, spec: unknown, labels: [string, string][], annotations: [string, string][]) {
  const specObject = own([["type", "service"], ["lifecycle", "production"], ["owner", "team-a"], ["__proto__", polluter], ["extra", spec]]);
  return own([
    ["apiVersion", "backstage.io/v1alpha1"],
    ["kind", "Component"],
    ["metadata", own([["name", name], ["labels", own(labels)], ["annotations", own(annotations)], ["__proto__", polluter]])],
    ["spec", specObject],
  ]);
}

/** Paths that walk into the hostile keys, as a Backstage client would ask for them (`spec.__proto__.polluted`). */
const hostilePath = fc
  .tuple(
    fc.constantFrom("spec", "metadata", "spec.extra", "metadata.labels", "kind"),
    fc.array(fc.oneof({ arbitrary: fc.constant("__proto__"), weight: 4 }, { arbitrary: hostileKey, weight: 4 }), { minLength: 1, maxLength: 2 }),
    fc.constantFrom([], ["polluted"], ["yes"]),
  )
  .map(([root, keys, leaf]) => [root, ...keys, ...leaf].join("."));

beforeAll(async () => {
  await ingest("/pp-sentinel", { "/pp-sentinel/c.yaml": JSON.stringify(hostileEntity(SENTINEL, null, [], [])) });
});

describe("prototype pollution", () => {
  it("a YAML __proto__ key is an own key: stored, served and projected as data", async () => {
    const name = uniq("yaml-proto");
    const yaml = [
      "apiVersion: backstage.io/v1alpha1",
      "kind: Component",
      "metadata:",
      `  name: ${name}`,
      "spec:",
      "  type: service",
      "  lifecycle: production",
      "  owner: team-a",
      "  __proto__:",
      "    polluted: yes",
      "  constructor:",
      "    prototype:",
      "      polluted: yes",
      "",
    ].join("\n");
    await ingest(`/${name}`, { [`/${name}/c.yaml`]: yaml });
    const res = await api(`/api/catalog/entities/by-name/component/default/${name}`);
    const text = await res.text();
    expect(text).toContain('"__proto__":{"polluted":"yes"}');
    const entity = JSON.parse(text);
    expect(Object.hasOwn(entity.spec, "__proto__")).toBe(true);
    expect(Object.getPrototypeOf(entity.spec)).toBe(Object.prototype);
    const projected = await api(`/api/catalog/entities/by-name/component/default/${name}?fields=spec.__proto__.polluted,spec.constructor.prototype`);
    expect(await projected.text()).toBe('{"spec":{"__proto__":{"polluted":"yes"},"constructor":{"prototype":{"polluted":"yes"}}}}');
    await expectIsolateHealthy();
  });

  it("fields=spec.__proto__.polluted projects the key as data and writes nothing into Object.prototype", async () => {
    const res = await api(`/api/catalog/entities/by-name/component/default/${SENTINEL}?fields=spec.__proto__.polluted,metadata.name`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toBe(`{"spec":{"__proto__":{"polluted":"yes"}},"metadata":{"name":"${SENTINEL}"}}`);
    await expectIsolateHealthy();
  });

  it("ingested files with hostile keys round-trip them and leave the isolate alone, whatever the projection", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileData,
        fc.array(fc.tuple(fc.constantFrom("constructor", "prototype", "polluted", "__proto__"), fc.constant("yes")), { maxLength: 2 }),
        fc.array(fc.tuple(fc.constantFrom("constructor", "prototype", "example.com/__proto__"), fc.constant("yes")), { maxLength: 2 }),
        fc.array(hostilePath, { minLength: 1, maxLength: 4 }),
        async (spec, labels, annotations, fields) => {
          const name = uniq("pp");
          const entity = hostileEntity(name, spec, labels, annotations);
          const report = await ingest(`/${name}`, { [`/${name}/c.yaml`]: JSON.stringify(entity) });
          expect(pollution()).toEqual([]);
          if (report.summary.added === 1) {
            const stored = await getJson(`/api/catalog/entities/by-name/component/default/${name}`);
            expect(stableStringify(stored.body.spec)).toBe(stableStringify(entity.spec));
            expect(Object.hasOwn(stored.body.metadata, "__proto__")).toBe(true);
          } else {
            // `__proto__` is not a valid label key: the entity is refused with a processing error instead.
            expect(report.files[0].rejected.length).toBeGreaterThan(0);
          }
          const qs = fields.map((f) => `fields=${encodeURIComponent(f)}`).join("&");
          for (const path of [`/api/catalog/entities/by-name/component/default/${name}?${qs}`, `/api/catalog/entities?filter=metadata.name=${name}&${qs}`, `/api/catalog/entities/by-query?filter=metadata.name=${name}&${qs}`]) {
            const res = await api(path);
            expect(res.status).toBeLessThan(500);
            await res.text();
            expect(pollution()).toEqual([]);
          }
        },
      ),
      { numRuns: 40 },
    );
    await expectIsolateHealthy();
  });

  it("request bodies with hostile keys are data: 2xx or 4xx, never a 5xx, and nothing leaks", async () => {
    const anyEndpoint = fc.constantFrom("/api/catalog/entities/by-refs", "/api/catalog/locations", "/api/catalog/locations/by-query", "/api/catalog/refresh", "/api/catalog/ingest", "/api/github/imports", "/api/catalog/validate-entity");
    const request = fc.oneof(
      fc.tuple(anyEndpoint, hostileData),
      fc.tuple(fc.constant("/api/catalog/entities/by-refs"), hostileData, fc.array(hostilePath, { maxLength: 3 })).map(
        ([path, d, fields]) => [path, own([["entityRefs", [`component:default/${SENTINEL}`]], ["fields", ["spec.__proto__.polluted", ...fields]], ["__proto__", d], ["constructor", d]])] as const,
      ),
      fc.tuple(fc.constantFrom("/api/catalog/locations", "/api/catalog/locations?dryRun=true"), hostileData).map(
        ([path, d]) => [path, own([["type", "url"], ["target", "https://example.invalid/x.yaml"], ["__proto__", d]])] as const,
      ),
      hostileData.map(
        (d) => ["/api/catalog/ingest", own([["location", own([["type", "file"], ["target", "/pp-body"], ["__proto__", d]])], ["files", [own([["target", "/pp-body/a.yaml"], ["content", JSON.stringify(d)], ["__proto__", d]])]], ["__proto__", d]])] as const,
      ),
    );
    await fc.assert(
      fc.asyncProperty(request, async ([path, value]) => {
        const res = await api(path, { method: "POST", headers: { "content-type": "application/json", ...ADMIN }, body: JSON.stringify(value) });
        expect(res.status).toBeLessThan(500);
        await res.text();
        expect(pollution()).toEqual([]);
      }),
      { numRuns: 60 },
    );
    await expectIsolateHealthy();
  });

  it("query strings with hostile keys and paths (fields, filter, order, facet) answer 200 or 4xx and leak nothing", async () => {
    const param = fc.oneof(
      fc.tuple(fc.constantFrom("fields", "fullTextFilterFields"), hostilePath).map(([k, v]) => [k, v] as const),
      fc.tuple(hostilePath, fc.constantFrom("", "=yes", "=constructor")).map(([p, v]) => ["filter", `${p}${v}`] as const),
      hostilePath.map((p) => ["order", `asc:${p}`] as const),
      hostilePath.map((p) => ["orderField", `${p},desc`] as const),
      hostilePath.map((p) => ["facet", p] as const),
      fc.tuple(hostileKey, fc.constantFrom("x", "1", "")).map(([k, v]) => [k, v] as const),
    );
    const paths = fc.oneof(
      { arbitrary: fc.constantFrom("/api/catalog/entities", "/api/catalog/entities/by-query", `/api/catalog/entities/by-name/component/default/${SENTINEL}`), weight: 3 },
      { arbitrary: fc.constantFrom("/api/catalog/entity-facets", "/api/search", "/api/catalog/graph"), weight: 1 },
    );
    const extras = fc.constantFrom("", "&fullTextFilterTerm=yes", "&q=pp", `&root=component:default/${SENTINEL}&relations=constructor,__proto__`);
    await fc.assert(
      fc.asyncProperty(paths, fc.array(hostilePath, { minLength: 1, maxLength: 3 }), fc.array(param, { maxLength: 5 }), extras, async (path, fields, params, extra) => {
        const qs = [...fields.map((f) => ["fields", f] as const), ...params].map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&");
        const res = await api(`${path}?${qs}${extra}`);
        expect(res.status).toBeLessThan(500);
        await res.text();
        expect(pollution()).toEqual([]);
      }),
      { numRuns: 60 },
    );
    await expectIsolateHealthy();
  });

  it("a facet named __proto__ is answered under its own name", async () => {
    const { status, body } = await getJson("/api/catalog/entity-facets?facet=__proto__&facet=kind");
    expect(status).toBe(200);
    expect(Object.hasOwn(body.facets, "__proto__")).toBe(true);
    expect(body.facets.__proto__).toEqual([]);
    expect(body.facets.kind.length).toBeGreaterThan(0);
  });

  it("full-text fields named like Object.prototype members are plain (unindexed) fields", async () => {
    for (const field of ["constructor", "__proto__", "toString", "spec.__proto__"]) {
      const { status, body } = await getJson(`/api/catalog/entities/by-query?fullTextFilterTerm=yes&fullTextFilterFields=${field}`);
      expect(status).toBe(200);
      expect(body.items).toEqual([]);
    }
  });

  it("the change log records adding and removing __proto__ and constructor keys", async () => {
    const name = uniq("pp-diff");
    const file = `/${name}/c.yaml`;
    const withKeys = (spec: [string, unknown][]) => JSON.stringify(own([["apiVersion", "backstage.io/v1alpha1"], ["kind", "Component"], ["metadata", own([["name", name]])], ["spec", own([["type", "service"], ["lifecycle", "production"], ["owner", "team-a"], ...spec])]]));
    await ingest(`/${name}`, { [file]: withKeys([["__proto__", {}]]) });
    await ingest(`/${name}`, { [file]: withKeys([["constructor", own([["name", "x"]])]]) });
    const { body } = await getJson(`/api/catalog/changes?entityRef=component:default/${name}&limit=1`);
    expect(body.items[0].action).toBe("updated");
    expect(body.items[0].diff).toEqual([
      { path: "spec.__proto__", before: {} },
      { path: "spec.constructor", after: { name: "x" } },
    ]);
    await expectIsolateHealthy();
  });
});
