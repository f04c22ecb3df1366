/**
 * Untrusted definitions: whatever a catalog file holds, the api-docs readers return (never throw, never
 * hang, never touch a prototype) and their output stays bounded. Property-based with fast-check.
 */
import fc from "fast-check";
import { describe, expect, it, vi } from "vitest";
import { extractAsyncApi } from "../../plugins/api-docs/lib/asyncapi";
import { MAX_DEFINITION_CHARS, parseDefinition } from "../../plugins/api-docs/lib/definition";
import { parseSdl, tokenizeSdl } from "../../plugins/api-docs/lib/graphql";
import { boundedJson } from "../../plugins/api-docs/lib/json";
import { extractOpenApi } from "../../plugins/api-docs/lib/openapi";
import { parseProto } from "../../plugins/api-docs/lib/proto";
import { buildSchemaTree, sampleFromSchema, type SchemaNode } from "../../plugins/api-docs/lib/schema";

// Property runs generate large values and the shared machine can be slow: room, not a budget.
vi.setConfig({ testTimeout: 60_000 });

const TYPES = ["openapi", "swagger", "asyncapi", "graphql", "grpc", "proto", "wsdl", "", "OpenAPI"];

function countNodes(n: SchemaNode): number {
  let c = 1;
  for (const p of n.properties ?? []) c += countNodes(p.node);
  if (n.items) c += countNodes(n.items);
  if (n.additionalProperties) c += countNodes(n.additionalProperties);
  for (const v of n.variants?.nodes ?? []) c += countNodes(v);
  return c;
}

/** Schemas whose `$ref`s point at each other (and themselves) through `#/components/schemas/S<n>`. */
const refName = fc.integer({ min: 0, max: 4 }).map((n) => `#/components/schemas/S${n}`);
const schemaArb: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
  schema: fc.oneof(
    { depthSize: "small" },
    fc.record({ $ref: refName }),
    fc.record({ type: fc.constantFrom("string", "integer", "number", "boolean", "null"), format: fc.option(fc.constantFrom("uuid", "date-time", "int64"), { nil: undefined }) }, { requiredKeys: ["type"] }),
    fc.record({ type: fc.constant("array"), items: tie("schema") }),
    fc.record({ type: fc.constant("object"), properties: fc.dictionary(fc.constantFrom("a", "b", "c", "__proto__", "constructor"), tie("schema"), { maxKeys: 4 }), required: fc.array(fc.constantFrom("a", "b")) }),
    fc.record({ allOf: fc.array(tie("schema"), { maxLength: 3 }) }),
    fc.record({ oneOf: fc.array(tie("schema"), { maxLength: 3 }) }),
    fc.anything(),
  ),
})).schema;
const docArb = fc.record({ components: fc.record({ schemas: fc.record({ S0: schemaArb, S1: schemaArb, S2: schemaArb, S3: schemaArb, S4: schemaArb }) }) });

describe("parseDefinition never throws", () => {
  it("on arbitrary text for every type", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.string({ maxLength: 400 }), (type, text) => {
        const r = parseDefinition(type, text);
        expect(typeof r.kind).toBe("string");
      }),
      { numRuns: 400 },
    );
  });

  it("on arbitrary values (inline definitions) for every type", () => {
    fc.assert(
      fc.property(fc.constantFrom(...TYPES), fc.anything(), (type, value) => {
        const r = parseDefinition(type, value);
        expect(typeof r.kind).toBe("string");
      }),
      { numRuns: 300 },
    );
  });

  it("on OpenAPI / AsyncAPI-shaped documents with random refs, cycles and hostile keys", () => {
    const opArb = fc.record({
      parameters: fc.array(fc.oneof(fc.record({ $ref: fc.constantFrom("#/components/parameters/p", "#/x", "#/constructor", "#") }), fc.record({ name: fc.string(), in: fc.constantFrom("query", "path", "body", "formData"), schema: schemaArb }))),
      requestBody: fc.oneof(fc.constant(undefined), fc.record({ $ref: fc.constant("#/paths") }), fc.record({ content: fc.dictionary(fc.constantFrom("application/json", "__proto__"), fc.record({ schema: schemaArb, example: fc.anything() })) })),
      responses: fc.dictionary(fc.constantFrom("200", "404", "default", "__proto__"), fc.oneof(fc.record({ description: fc.string(), content: fc.dictionary(fc.constant("application/json"), fc.record({ schema: schemaArb })) }), fc.record({ $ref: refName }))),
      tags: fc.anything(),
    });
    const openapiArb = fc.tuple(docArb, fc.dictionary(fc.string({ maxLength: 8 }), fc.dictionary(fc.constantFrom("get", "post", "parameters", "__proto__"), opArb, { maxKeys: 3 }), { maxKeys: 4 }), fc.boolean()).map(([d, paths, swagger]) => ({ ...d, [swagger ? "swagger" : "openapi"]: swagger ? "2.0" : "3.0.0", paths }));
    fc.assert(
      fc.property(openapiArb, (doc) => {
        const r = parseDefinition("openapi", doc);
        expect(["openapi", "error", "asyncapi"]).toContain(r.kind);
        const summary = extractOpenApi(doc);
        for (const op of summary.operations) for (const resp of op.responses) for (const c of resp.content) countNodes(buildSchemaTree(doc, c.schema));
      }),
      { numRuns: 150 },
    );
    const asyncArb = fc.tuple(docArb, fc.dictionary(fc.string({ maxLength: 8 }), fc.record({ publish: fc.record({ message: fc.oneof(fc.record({ payload: schemaArb }), fc.record({ oneOf: fc.array(fc.record({ $ref: fc.constant("#/channels") })) })) }), messages: fc.anything(), address: fc.anything() }, { requiredKeys: [] }))).map(([d, channels]) => ({ ...d, asyncapi: "2.6.0", channels }));
    fc.assert(
      fc.property(asyncArb, fc.boolean(), (doc, v3) => {
        const r = parseDefinition("asyncapi", { ...doc, asyncapi: v3 ? "3.0.0" : "2.6.0", operations: v3 ? { o: { channel: { $ref: "#/channels/a" }, messages: [{ $ref: "#/operations/o" }] } } : undefined });
        expect(["asyncapi", "error"]).toContain(r.kind);
        extractAsyncApi(doc);
      }),
      { numRuns: 150 },
    );
  });

  it("on absurd nesting, oversize input and malformed YAML", () => {
    expect(parseDefinition("openapi", "[".repeat(200_000))).toMatchObject({ kind: "error" });
    expect(parseDefinition("openapi", "a: ".repeat(50_000) + "b")).toMatchObject({ kind: expect.stringMatching(/error|openapi/) });
    expect(parseDefinition("openapi", "openapi: 3.0.0\npaths: {")).toMatchObject({ kind: "error" });
    expect(parseDefinition("openapi", "just a string")).toMatchObject({ kind: "error", message: expect.stringMatching(/OpenAPI document/) });
    const big = "x".repeat(MAX_DEFINITION_CHARS + 1);
    const r = parseDefinition("graphql", big);
    expect(r.kind).toBe("too-large");
    if (r.kind === "too-large") expect(r.source.length).toBeLessThan(big.length);
    expect(parseDefinition("openapi", undefined)).toEqual({ kind: "empty" });
    expect(parseDefinition("wsdl", "<definitions/>")).toMatchObject({ kind: "text", source: "<definitions/>" });
  });

  it("on YAML alias bombs (a small file that is an enormous tree) with bounded output", () => {
    let yaml = "openapi: 3.0.0\ninfo: { title: bomb, version: '1' }\ncomponents:\n  schemas:\n    L0: &l0 { type: object, properties: { a: { type: string }, b: { type: string } }, example: [x, x, x, x, x, x, x, x] }\n";
    for (let i = 1; i <= 12; i++) yaml += `    L${i}: &l${i} { type: object, properties: { a: *l${i - 1}, b: *l${i - 1}, c: *l${i - 1}, d: *l${i - 1} }, example: [*l${i - 1}, *l${i - 1}, *l${i - 1}, *l${i - 1}, *l${i - 1}, *l${i - 1}, *l${i - 1}, *l${i - 1}] }\n`;
    yaml += "paths:\n  /x:\n    get:\n      responses:\n        '200': { description: ok, content: { application/json: { schema: *l12 } } }\n";
    const r = parseDefinition("openapi", yaml);
    if (r.kind !== "openapi") throw new Error(r.kind);
    const media = r.summary.operations[0]!.responses[0]!.content[0]!;
    expect(media.examples[0]!.value.length).toBeLessThan(25_000);
    expect(countNodes(buildSchemaTree(r.doc, media.schema))).toBeLessThanOrEqual(2001);
    expect(boundedJson(r.doc).length).toBeLessThan(25_000);
  });

  it("keeps prototypes clean", () => {
    parseDefinition("openapi", 'openapi: 3.0.0\n__proto__: { polluted: yes }\npaths: { "/a": { __proto__: { get: { responses: {} } } } }\ncomponents: { schemas: { constructor: { $ref: "#/__proto__" } } }');
    parseDefinition("openapi", '{"openapi":"3.0.0","__proto__":{"polluted":"yes"},"paths":{}}');
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    const sample = sampleFromSchema({}, { type: "object", properties: JSON.parse('{"__proto__": {"type": "string"}}') }) as Record<string, unknown>;
    expect(Object.getPrototypeOf(sample)).toBe(Object.prototype);
    expect(Object.keys(sample)).toEqual(["__proto__"]);
  });
});

describe("schema trees stay finite", () => {
  it("for any graph of schemas referring to each other", () => {
    fc.assert(
      fc.property(docArb, schemaArb, (doc, root) => {
        const tree = buildSchemaTree(doc, root, { maxDepth: 6, maxNodes: 300 });
        expect(countNodes(tree)).toBeLessThanOrEqual(301);
        const sample = sampleFromSchema(doc, root, 200);
        expect(boundedJson(sample).length).toBeLessThan(25_000);
      }),
      { numRuns: 300 },
    );
  });
});

describe("SDL and proto readers are total", () => {
  const sdlPieces = fc.constantFrom("type", "interface", "input", "enum", "union", "scalar", "schema", "extend", "directive", "@", "on", "implements", "Query", "name", "{", "}", "(", ")", "[", "]", ":", "=", "|", "&", "!", '"', '"""', "#", "\n", " ", "1", "$", "...");
  const protoPieces = fc.constantFrom("syntax", "message", "enum", "service", "rpc", "returns", "stream", "oneof", "map", "<", ">", ",", "repeated", "option", "reserved", "extend", "import", "Name", "x", "=", "1", ";", "{", "}", "(", ")", "[", "]", '"', "'", "//", "/*", "*/", "\n", " ");
  it("GraphQL: arbitrary text and token soup", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.array(sdlPieces, { maxLength: 200 }).map((a) => a.join(" "))), (src) => {
        const s = parseSdl(src);
        expect(Array.isArray(s.types)).toBe(true);
        expect(tokenizeSdl(src).map((t) => t.text).join("")).toBe(src);
      }),
      { numRuns: 500 },
    );
  });
  it("proto: arbitrary text and token soup", () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.array(protoPieces, { maxLength: 200 }).map((a) => a.join(" "))), (src) => {
        const f = parseProto(src);
        expect(Array.isArray(f.messages)).toBe(true);
      }),
      { numRuns: 500 },
    );
  });
  it("deep nesting is bounded", () => {
    expect(parseSdl(`type A { f(a: ${"[".repeat(50_000)}Int${"]".repeat(50_000)}): Int }`).errors[0]).toMatch(/too deeply/);
    expect(parseSdl(`type A { f(a: Int = ${"[".repeat(50_000)}): Int }`).errors.length).toBeGreaterThan(0);
    expect(parseProto(`${"message A { ".repeat(5000)}${"}".repeat(5000)}`).errors[0]).toMatch(/too deeply/);
  });
});
