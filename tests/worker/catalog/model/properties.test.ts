/** Property-based tests: processFile never throws, reports every problem properly, and accepts every valid entity. */
import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { processFile } from "../../../../worker/catalog/process-file";
import { validateEntity } from "../../../../worker/catalog/validation";
import type { ProcessedFile } from "../../../../worker/catalog/types";

const FILE = { type: "url", target: "https://github.com/acme/repo/blob/main/catalog-info.yaml" };
const KEY = `url:${FILE.target}`;
const ORIGIN = "url:https://github.com/acme/repo/blob/main/catalog-info.yaml";

async function run(content: string): Promise<ProcessedFile> {
  const result = await processFile({ location: FILE, origin: ORIGIN, content, read: async () => "text" });
  checkInvariants(result);
  return result;
}

function checkInvariants(result: ProcessedFile) {
  expect(result.locationKey).toBe(KEY);
  for (const p of result.problems) {
    expect(p.location).toBe(KEY);
    expect(typeof p.message).toBe("string");
    expect(p.message.length).toBeGreaterThan(0);
    expect(p.name.length).toBeGreaterThan(0);
    expect(p.docIndex === null || Number.isInteger(p.docIndex)).toBe(true);
    expect(p.line === null || (Number.isInteger(p.line) && p.line >= 1)).toBe(true);
    expect(p.field === null || p.field.length > 0).toBe(true);
  }
  const refs = result.entities.map((e) => e.ref);
  expect(new Set(refs).size).toBe(refs.length);
  for (const e of result.entities) {
    expect(e.ref).toBe(e.ref.toLocaleLowerCase("en-US"));
    for (const r of e.relations) {
      expect(r.sourceRef).toBe(r.sourceRef.toLocaleLowerCase("en-US"));
      expect(r.targetRef).toBe(r.targetRef.toLocaleLowerCase("en-US"));
    }
    expect(e.entity.metadata.annotations?.["backstage.io/managed-by-location"]).toBe(KEY);
  }
  if (result.problems.some((p) => p.docIndex === null)) expect(result.complete).toBe(false);
}

// Field values that are often wrong: every JSON type, plus strings that look like refs.
const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.string(),
  fc.constantFrom("", "-", "a:b", "c:", "x/y/z", "Group:team", ":", "/", "ä", " "),
);
const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

const entityish = fc.record(
  {
    apiVersion: fc.oneof(fc.constantFrom("backstage.io/v1alpha1", "backstage.io/v1beta1", "scaffolder.backstage.io/v1beta3", "x/y/z"), anyValue),
    kind: fc.oneof(fc.constantFrom("Component", "API", "Resource", "System", "Domain", "Group", "User", "Location", "Template"), anyValue),
    metadata: fc.oneof(
      fc.record({
        name: fc.oneof(fc.stringMatching(/^[a-z][a-z0-9-]{0,10}$/), anyValue),
        namespace: maybe(anyValue),
        tags: maybe(fc.oneof(fc.array(anyValue, { maxLength: 3 }), anyValue)),
        annotations: maybe(fc.oneof(fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 3 }), anyValue)),
        labels: maybe(fc.dictionary(fc.string({ maxLength: 12 }), anyValue, { maxKeys: 2 })),
        links: maybe(fc.array(fc.record({ url: anyValue, title: maybe(anyValue) }), { maxLength: 2 })),
        title: maybe(anyValue),
      }),
      anyValue,
    ),
    spec: fc.oneof(
      fc.record({
        type: maybe(anyValue),
        lifecycle: maybe(anyValue),
        owner: maybe(anyValue),
        system: maybe(anyValue),
        dependsOn: maybe(fc.oneof(fc.array(anyValue, { maxLength: 3 }), anyValue)),
        providesApis: maybe(fc.array(anyValue, { maxLength: 3 })),
        memberOf: maybe(fc.array(anyValue, { maxLength: 3 })),
        children: maybe(fc.array(anyValue, { maxLength: 3 })),
        target: maybe(anyValue),
        targets: maybe(fc.array(anyValue, { maxLength: 3 })),
        definition: maybe(fc.oneof(anyValue, fc.record({ $text: anyValue }), fc.record({ $yaml: anyValue }))),
        steps: maybe(fc.array(fc.record({ action: maybe(anyValue) }), { maxLength: 2 })),
      }),
      anyValue,
    ),
    relations: maybe(anyValue),
    extra: maybe(anyValue),
  },
  { requiredKeys: [] },
);

const toYaml = (docs: unknown[]) => docs.map((d) => JSON.stringify(d)).join("\n---\n");

describe("processFile properties", () => {
  it("never throws on arbitrary text", async () => {
    await fc.assert(fc.asyncProperty(fc.string({ unit: "grapheme", maxLength: 300 }), async (s) => void (await run(s))), { numRuns: 300 });
  });

  it("never throws on arbitrary bytes decoded as UTF-8", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 400 }), async (bytes) => void (await run(new TextDecoder().decode(bytes)))),
      { numRuns: 200 },
    );
  });

  it("never throws on YAML-ish text built from YAML tokens", async () => {
    const token = fc.constantFrom("---\n", "...\n", "a: ", "- ", "  ", "\n", "&x ", "*x", "!!str ", "? ", "[", "]", "{", "}", ",", ": ", "|\n", "'q'", '"d"', "#c\n", "kind: Component\n", "metadata:\n  name: n\n");
    await fc.assert(fc.asyncProperty(fc.array(token, { maxLength: 60 }), async (t) => void (await run(t.join("")))), { numRuns: 300 });
  });

  it("reports entity-like documents with wrong types precisely, and only valid entities come out", async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(entityish, { minLength: 1, maxLength: 4 }), async (docs) => {
        const result = await run(toYaml(docs));
        for (const e of result.entities) {
          const again = validateEntity(e.entity);
          expect(again.problems).toEqual([]);
        }
        // every document is accounted for: emitted, or named by a problem
        const accounted = new Set([...result.entities.map((e) => e.docIndex), ...result.problems.map((p) => p.docIndex)]);
        docs.forEach((_, i) => expect(accounted.has(i)).toBe(true));
      }),
      { numRuns: 300 },
    );
  });

  it("accepts every valid generated entity", async () => {
    const name = fc.stringMatching(/^[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?$/);
    const namespace = fc.stringMatching(/^[a-z0-9]{1,20}(-[a-z0-9]{1,20}){0,2}$/);
    const tag = fc.stringMatching(/^[a-z0-9:+#]{1,10}(-[a-z0-9:+#]{1,10}){0,2}$/);
    const text = fc.string({ minLength: 1, maxLength: 20 }).filter((s) => s.trim().length > 0);
    const ref = fc.tuple(fc.constantFrom("", "group:", "user:"), fc.constantFrom("", "other/"), name).map(([k, n, x]) => `${k}${n}${x}`);
    const kindRef = fc.tuple(fc.constantFrom("component:", "resource:"), name).map(([k, x]) => `${k}${x}`);
    const spec = fc.oneof(
      fc.record({ kind: fc.constant("Component"), spec: fc.record({ type: text, lifecycle: text, owner: ref, dependsOn: fc.array(kindRef, { maxLength: 3 }), providesApis: fc.array(name, { maxLength: 3 }) }) }),
      fc.record({ kind: fc.constant("API"), spec: fc.record({ type: text, lifecycle: text, owner: ref, definition: text }) }),
      fc.record({ kind: fc.constant("Group"), spec: fc.record({ type: text, children: fc.array(name, { maxLength: 3 }), members: fc.array(name, { maxLength: 2 }) }) }),
      fc.record({ kind: fc.constant("User"), spec: fc.record({ memberOf: fc.array(ref, { maxLength: 3 }) }) }),
      fc.record({ kind: fc.constant("System"), spec: fc.record({ owner: ref }) }),
      fc.record({ kind: fc.constant("Resource"), spec: fc.record({ type: text, owner: ref, dependencyOf: fc.array(kindRef, { maxLength: 2 }) }) }),
      fc.record({ kind: fc.constantFrom("Widget", "FeatureFlag"), // keys differing only in case are rejected by design (search index), so generate one case
      spec: fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,7}$/), fc.string()) }),
    );
    const entity = fc.record({ name, namespace: maybe(namespace), tags: fc.uniqueArray(tag, { maxLength: 4 }), title: maybe(text), description: maybe(fc.string()), body: spec }).map(
      ({ name, namespace, tags, title, description, body }) => ({
        apiVersion: "backstage.io/v1alpha1",
        kind: body.kind,
        metadata: { name, ...(namespace ? { namespace } : {}), tags, ...(title ? { title } : {}), ...(description !== undefined ? { description } : {}) },
        spec: body.spec,
      }),
    );
    await fc.assert(
      fc.asyncProperty(fc.uniqueArray(entity, { maxLength: 4, selector: (e) => `${e.kind}:${e.metadata.namespace ?? "default"}/${e.metadata.name}`.toLowerCase() }), async (docs) => {
        const result = await run(toYaml(docs));
        expect(result.problems).toEqual([]);
        expect(result.complete).toBe(true);
        expect(result.entities).toHaveLength(docs.length);
      }),
      { numRuns: 200 },
    );
  });

  it("handles huge and unicode names, refs and values", async () => {
    const weird = fc.oneof(fc.string({ unit: "grapheme", minLength: 1, maxLength: 100 }), fc.string({ minLength: 1000, maxLength: 5000 }));
    await fc.assert(
      fc.asyncProperty(weird, weird, async (name, owner) => {
        const result = await run(toYaml([{ apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name }, spec: { type: "t", lifecycle: "l", owner, dependsOn: [owner] } }]));
        expect(result.entities.length + result.problems.length).toBeGreaterThan(0);
      }),
      { numRuns: 100 },
    );
  });

  it("rejects invalid refs in ref fields by naming the field", async () => {
    const badRef = fc.constantFrom("c:", ":a", "a/", "/a", "k:ns/", "no-kind");
    await fc.assert(
      fc.asyncProperty(badRef, fc.constantFrom("dependsOn", "dependencyOf"), async (ref, field) => {
        const spec = { type: "t", lifecycle: "l", owner: "o", [field]: [ref] };
        const result = await run(toYaml([{ apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "x" }, spec }]));
        expect(result.entities).toEqual([]);
        expect(result.problems).toHaveLength(1);
        expect(result.problems[0].field).toBe(`spec.${field}.0`);
        expect(result.keepRefs).toEqual(["component:default/x"]);
      }),
      { numRuns: 30 },
    );
  });

  it("survives deep nesting, alias bombs and duplicate keys", async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 1, max: 400 }), fc.constantFrom("[", "{a: "), async (depth, open) => {
        const close = open === "[" ? "]" : "}";
        const result = await run(`spec: ${open.repeat(depth)}1${close.repeat(depth)}\n`);
        if (depth > 64) expect(result.complete).toBe(false);
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 2, max: 12 }), fc.integer({ min: 2, max: 12 }), async (width, levels) => {
        const lines = [`l0: &l0 [${Array(width).fill('"lol"').join(",")}]`];
        for (let i = 1; i < levels; i++) lines.push(`l${i}: &l${i} [${Array(width).fill(`*l${i - 1}`).join(",")}]`);
        const started = Date.now();
        await run(lines.join("\n"));
        expect(Date.now() - started).toBeLessThan(3000);
      }),
      { numRuns: 30 },
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom("apiVersion", "kind", "metadata", "spec"), async (key) => {
        const doc = `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: x\nspec: {}\n${key}: again\n`;
        const result = await run(`${doc}---\napiVersion: v1\nkind: Thing\nmetadata: {name: ok}\n`);
        expect(result.complete).toBe(false);
        expect(result.problems[0].message).toContain("duplicated mapping key");
        expect(result.entities.map((e) => e.ref)).toEqual(["thing:default/ok"]);
      }),
      { numRuns: 4 },
    );
  });

  it("rejects a 5 MB document quickly", async () => {
    const big = `apiVersion: v1\nkind: Blob\nmetadata:\n  name: big\nspec:\n  data: "${"x".repeat(5 * 1024 * 1024)}"\n`;
    const started = Date.now();
    const result = await run(big);
    expect(Date.now() - started).toBeLessThan(2000);
    expect(result.entities).toEqual([]);
    expect(result.complete).toBe(false);
    expect(result.problems[0].message).toMatch(/File is too large/);
  });

  it("rejects a 3 MB entity inside a file under the file limit", async () => {
    const big = `apiVersion: v1\nkind: Blob\nmetadata:\n  name: big\nspec:\n  data: "${"x".repeat(3 * 1024 * 1024)}"\n`;
    const result = await run(big);
    expect(result.entities).toEqual([]);
    expect(result.keepRefs).toEqual(["blob:default/big"]);
    expect(result.problems[0]).toMatchObject({ field: "spec.data", line: 1 });
  });
});
