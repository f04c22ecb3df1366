/** The api-docs plugin's OpenAPI / Swagger reader and schema trees, on real documents and edge cases. */
import { load } from "js-yaml";
import oas3Petstore from "../fixtures/api-docs/openapi3-petstore-expanded.yaml?raw";
import swagger2Petstore from "../fixtures/api-docs/swagger2-petstore-expanded.yaml?raw";
import demoAuth from "../../catalog/demo/apis/auth-openapi.yaml?raw";
import demoOrders from "../../catalog/demo/apis/orders-openapi.yaml?raw";
import demoPayments from "../../catalog/demo/apis/payments-openapi.yaml?raw";
import demoSearch from "../../catalog/demo/apis/search-openapi.yaml?raw";
import { describe, expect, it } from "vitest";
import { parseDefinition } from "../../plugins/api-docs/lib/definition";
import { extractOpenApi } from "../../plugins/api-docs/lib/openapi";
import { deref, resolveLocalRef } from "../../plugins/api-docs/lib/refs";
import { buildSchemaTree, sampleFromSchema, schemaTypeLabel, type SchemaNode } from "../../plugins/api-docs/lib/schema";


const petstore = load(`
openapi: "3.0.0"
info: { version: 1.0.0, title: Swagger Petstore, description: "A **sample** API" }
servers: [{ url: "https://{env}.petstore.example/v1", description: Main, variables: { env: { default: api, enum: [api, sandbox] } } }]
tags: [{ name: pets, description: Everything about pets }, { name: admin }]
security: [{ apiKey: [] }]
paths:
  /pets:
    get:
      summary: List all pets
      operationId: listPets
      tags: [pets]
      parameters:
        - { $ref: '#/components/parameters/limit' }
      responses:
        '200':
          description: A paged array of pets
          headers: { x-next: { description: next page, schema: { type: string } } }
          content: { application/json: { schema: { $ref: '#/components/schemas/Pets' }, example: [{ id: 1, name: Rex }] } }
        default:
          description: unexpected error
          content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } }
        '201': { $ref: '#/components/responses/Created' }
    post:
      summary: Create a pet
      tags: [pets]
      security: [{ oauth: [write] }]
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: '#/components/schemas/Pet' }
            examples: { small: { summary: A small pet, value: { id: 2, name: Tiny } } }
      responses: { '201': { description: Null response } }
  /pets/{petId}:
    parameters:
      - { name: petId, in: path, schema: { type: string }, description: shared }
      - { name: verbose, in: query, schema: { type: boolean } }
    get:
      summary: Info for a specific pet
      tags: [pets]
      parameters:
        - { name: verbose, in: query, required: true, schema: { type: boolean }, description: overridden }
      responses: { '200': { description: ok } }
    delete:
      deprecated: true
      responses: { '204': { description: gone } }
components:
  parameters:
    limit: { name: limit, in: query, required: false, schema: { type: integer, format: int32 } }
  responses:
    Created: { description: created }
  securitySchemes:
    apiKey: { type: apiKey, in: header, name: X-API-Key }
    oauth: { type: oauth2, flows: { implicit: { authorizationUrl: 'https://x', scopes: {} } } }
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties: { id: { type: integer, format: int64 }, name: { type: string }, tag: { type: string }, owner: { $ref: '#/components/schemas/Owner' } }
    Owner:
      type: object
      properties: { name: { type: string }, pets: { type: array, items: { $ref: '#/components/schemas/Pet' } } }
    Pets: { type: array, items: { $ref: '#/components/schemas/Pet' } }
    Error: { type: object, properties: { code: { type: integer }, message: { type: string } } }
`);

describe("extractOpenApi", () => {
  const doc = extractOpenApi(petstore);

  it("reads the overview, servers with variables and security schemes", () => {
    expect(doc).toMatchObject({ specVersion: "OpenAPI 3.0.0", title: "Swagger Petstore", version: "1.0.0", description: "A **sample** API", truncated: false });
    expect(doc.servers).toEqual([{ url: "https://{env}.petstore.example/v1", description: "Main", variables: [{ name: "env", default: "api", enum: ["api", "sandbox"], description: undefined }] }]);
    expect(doc.securitySchemes.map((s) => [s.name, s.type, s.detail])).toEqual([
      ["apiKey", "apiKey", "header X-API-Key"],
      ["oauth", "oauth2", "implicit"],
    ]);
  });

  it("lists every operation, grouped by tag in the document's order, untagged last", () => {
    expect(doc.operations.map((o) => `${o.method} ${o.path}`)).toEqual(["get /pets", "post /pets", "get /pets/{petId}", "delete /pets/{petId}"]);
    expect(doc.groups.map((g) => [g.tag, g.operations.length])).toEqual([
      ["pets", 3],
      ["Other", 1],
    ]);
    expect(doc.groups[0]!.description).toBe("Everything about pets");
  });

  it("resolves parameter refs and merges path-level parameters, operation-level winning", () => {
    const list = doc.operations.find((o) => o.operationId === "listPets")!;
    expect(list.parameters).toMatchObject([{ name: "limit", in: "query", required: false, schema: { type: "integer", format: "int32" } }]);
    const get = doc.operations.find((o) => o.id === "get-/pets/{petId}")!;
    expect(get.parameters.map((p) => [p.name, p.in, p.required, p.description])).toEqual([
      ["petId", "path", true, "shared"],
      ["verbose", "query", true, "overridden"],
    ]);
  });

  it("reads request bodies with named examples, responses with headers, default last", () => {
    const post = doc.operations.find((o) => o.id === "post-/pets")!;
    expect(post.requestBody).toMatchObject({ required: true, content: [{ mediaType: "application/json", schema: { $ref: "#/components/schemas/Pet" } }] });
    expect(post.requestBody!.content[0]!.examples).toEqual([{ name: "small", summary: "A small pet", value: JSON.stringify({ id: 2, name: "Tiny" }, null, 2) }]);
    expect(post.security).toEqual(["oauth"]);
    const list = doc.operations[0]!;
    expect(list.security).toEqual(["apiKey"]);
    expect(list.responses.map((r) => r.status)).toEqual(["200", "201", "default"]);
    expect(list.responses[0]!.headers).toEqual([{ name: "x-next", description: "next page", schema: { type: "string" } }]);
    expect(JSON.parse(list.responses[0]!.content[0]!.examples[0]!.value)).toEqual([{ id: 1, name: "Rex" }]);
    expect(list.responses[1]!.description).toBe("created");
  });

  it("makes up an example from the schema when the document gives none, through refs and cycles", () => {
    const err = doc.operations[0]!.responses[2]!.content[0]!.examples[0]!;
    expect(err.generated).toBe(true);
    expect(JSON.parse(err.value)).toEqual({ code: 0, message: "string" });
    // Pet → Owner → pets: Pet[] is circular: the inner Pet is left out rather than expanded forever.
    expect(sampleFromSchema(petstore, { $ref: "#/components/schemas/Pet" })).toEqual({ id: 0, name: "string", tag: "string", owner: { name: "string", pets: [] } });
  });

  it("flags deprecated operations and lists named schemas", () => {
    expect(doc.operations[3]!.deprecated).toBe(true);
    expect(doc.schemas.map((s) => s.name)).toEqual(["Pet", "Owner", "Pets", "Error"]);
  });

  it("rejects documents that are not objects", () => {
    expect(() => extractOpenApi("just text")).toThrow(/not an OpenAPI document/);
  });
});

describe("schema trees", () => {
  const names = (n: SchemaNode | undefined) => (n?.properties ?? []).map((p) => `${p.name}${p.required ? "*" : ""}:${p.node.label}`);

  it("resolves refs inline and marks a ref already being expanded as circular", () => {
    const tree = buildSchemaTree(petstore, { $ref: "#/components/schemas/Pets" });
    expect(tree.label).toBe("Pet[]");
    expect(tree.refName).toBe("Pets");
    const pet = tree.items!;
    expect(pet.refName).toBe("Pet");
    expect(names(pet)).toEqual(["id*:integer<int64>", "name*:string", "tag:string", "owner:Owner"]);
    const owner = pet.properties![3]!.node;
    expect(owner.circular).toBeUndefined();
    const inner = owner.properties!.find((p) => p.name === "pets")!.node.items!;
    expect(inner).toMatchObject({ label: "Pet", refName: "Pet", circular: true });
    expect(inner.properties).toBeUndefined();
  });

  it("merges allOf parts and keeps oneOf variants, enums, constraints and examples", () => {
    const doc = {
      components: {
        schemas: {
          Base: { type: "object", required: ["id"], properties: { id: { type: "string", format: "uuid" } } },
          Dog: {
            allOf: [{ $ref: "#/components/schemas/Base" }, { type: "object", properties: { bark: { type: "string", enum: ["loud", "soft"], default: "loud" }, age: { type: "integer", minimum: 0, maximum: 30, example: 3 } } }],
          },
          Pet: { oneOf: [{ $ref: "#/components/schemas/Dog" }, { type: "string" }] },
        },
      },
    };
    const dog = buildSchemaTree(doc, { $ref: "#/components/schemas/Dog" });
    expect(names(dog)).toEqual(["id*:string<uuid>", "bark:string", "age:integer"]);
    expect(dog.properties![1]!.node).toMatchObject({ enum: ['"loud"', '"soft"'], default: '"loud"' });
    expect(dog.properties![2]!.node).toMatchObject({ constraints: ["≥ 0", "≤ 30"], example: "3" });
    const pet = buildSchemaTree(doc, { $ref: "#/components/schemas/Pet" });
    expect(pet.variants!.kind).toBe("oneOf");
    expect(pet.variants!.nodes.map((n) => n.label)).toEqual(["Dog", "string"]);
  });

  it("stops at the depth and node budgets and reports unresolved refs", () => {
    const deep: Record<string, unknown> = { type: "string" };
    let cur = deep;
    for (let i = 0; i < 50; i++) cur = { type: "object", properties: { next: cur } };
    let node = buildSchemaTree({}, cur, { maxDepth: 5, maxNodes: 1000 });
    let levels = 0;
    while (node.properties?.[0]) {
      node = node.properties[0].node;
      levels++;
    }
    expect(levels).toBe(5);
    expect(node.truncated).toBe(true);
    expect(buildSchemaTree({}, { $ref: "other.yaml#/Pet" })).toMatchObject({ label: "Pet", unresolved: "other.yaml#/Pet" });
  });

  it("labels schemas compactly", () => {
    expect(schemaTypeLabel({ type: "string", format: "uuid" })).toBe("string<uuid>");
    expect(schemaTypeLabel({ type: "array", items: { $ref: "#/components/schemas/Pet" } })).toBe("Pet[]");
    expect(schemaTypeLabel({ oneOf: [{ type: "string" }, { type: "integer" }] })).toBe("string | integer");
    expect(schemaTypeLabel({ type: ["string", "null"] })).toBe("string | null");
    expect(schemaTypeLabel({ type: "integer", nullable: true })).toBe("integer | null");
    expect(schemaTypeLabel({ properties: {} })).toBe("object");
    expect(schemaTypeLabel(undefined)).toBe("any");
  });
});

describe("refs", () => {
  it("resolves JSON pointers with escapes, never through prototypes", () => {
    const doc = { paths: { "/a/b": { x: 1 } }, list: [{ y: 2 }], c: { $ref: "#/paths/~1a~1b" } };
    expect(resolveLocalRef(doc, "#/paths/~1a~1b")).toEqual({ x: 1 });
    expect(resolveLocalRef(doc, "#/list/0/y")).toBe(2);
    expect(deref(doc, doc.c)).toEqual({ x: 1 });
    expect(resolveLocalRef(doc, "#/nope")).toBeUndefined();
    expect(resolveLocalRef(doc, "other.yaml#/x")).toBeUndefined();
    expect(resolveLocalRef(doc, "#/constructor")).toBeUndefined();
    expect(resolveLocalRef(doc, "#/paths/__proto__/toString")).toBeUndefined();
    expect(resolveLocalRef(doc, "#/%E0%A4%A")).toBeUndefined();
  });

  it("stops on $ref cycles", () => {
    const doc = { a: { $ref: "#/b" }, b: { $ref: "#/a" } };
    expect(deref(doc, doc.a)).toEqual({ $ref: "#/b" });
  });
});

describe("Swagger 2.0", () => {
  it("maps host/basePath/schemes, body and formData parameters and definitions", () => {
    const doc = extractOpenApi({
      swagger: "2.0",
      info: { title: "Old", version: 2 },
      host: "api.example.com",
      basePath: "/v2",
      schemes: ["https"],
      securityDefinitions: { basic: { type: "basic" } },
      paths: {
        "/things": {
          post: {
            parameters: [
              { name: "body", in: "body", required: true, schema: { $ref: "#/definitions/Thing" } },
              { name: "dry", in: "query", type: "boolean" },
            ],
            responses: { 200: { description: "ok", schema: { type: "array", items: { $ref: "#/definitions/Thing" } } } },
          },
        },
        "/upload": { put: { consumes: ["multipart/form-data"], parameters: [{ name: "file", in: "formData", type: "file", required: true }], responses: { 204: { description: "done" } } } },
      },
      definitions: { Thing: { type: "object", properties: { id: { type: "string" } } } },
    });
    expect(doc.specVersion).toBe("Swagger 2.0");
    expect(doc.version).toBe("2");
    expect(doc.servers.map((s) => s.url)).toEqual(["https://api.example.com/v2"]);
    expect(doc.securitySchemes).toMatchObject([{ name: "basic", type: "basic" }]);
    const op = doc.operations[0]!;
    expect(op.parameters.map((p) => p.name)).toEqual(["dry"]);
    expect(op.requestBody).toMatchObject({ required: true, content: [{ mediaType: "application/json", schema: { $ref: "#/definitions/Thing" } }] });
    expect(op.responses[0]!.content[0]!.schema).toMatchObject({ type: "array" });
    const upload = doc.operations[1]!;
    expect(upload.parameters).toEqual([]);
    expect(upload.requestBody).toMatchObject({ required: true, content: [{ mediaType: "multipart/form-data", schema: { type: "object", required: ["file"] } }] });
    expect(doc.schemas.map((s) => s.name)).toEqual(["Thing"]);
  });
});

describe("real documents", () => {
  it("OpenAPI 3 petstore-expanded (OAI): operations, parameters, allOf schemas", () => {
    const parsed = parseDefinition("openapi", oas3Petstore);
    if (parsed.kind !== "openapi") throw new Error(parsed.kind);
    const doc = parsed.summary;
    expect(doc.title).toBe("Swagger Petstore");
    expect(doc.servers.map((s) => s.url)).toEqual(["https://petstore.swagger.io/v2"]);
    expect(doc.operations.map((o) => `${o.method.toUpperCase()} ${o.path} ${o.operationId}`)).toEqual(["GET /pets findPets", "POST /pets addPet", "GET /pets/{id} find pet by id", "DELETE /pets/{id} deletePet"]);
    expect(doc.operations[0]!.parameters.map((p) => `${p.name}:${schemaTypeLabel(p.schema)}`)).toEqual(["tags:string[]", "limit:integer<int32>"]);
    const pet = buildSchemaTree(parsed.doc, doc.operations[1]!.responses[0]!.content[0]!.schema);
    expect(names(pet)).toEqual(["name*:string", "tag:string", "id*:integer<int64>"]);
    expect(doc.schemas.map((s) => s.name)).toEqual(["Pet", "NewPet", "Error"]);
  });

  it("Swagger 2 petstore-expanded (OAI)", () => {
    const parsed = parseDefinition("openapi", swagger2Petstore);
    if (parsed.kind !== "openapi") throw new Error(parsed.kind);
    const doc = parsed.summary;
    expect(doc.specVersion).toBe("Swagger 2.0");
    expect(doc.servers.map((s) => s.url)).toEqual(["http://petstore.swagger.io/api"]);
    expect(doc.operations).toHaveLength(4);
    const add = doc.operations.find((o) => o.operationId === "addPet")!;
    expect(add.requestBody!.content[0]!.schema).toEqual({ $ref: "#/definitions/NewPet" });
    expect(JSON.parse(add.requestBody!.content[0]!.examples[0]!.value)).toEqual({ name: "string", tag: "string" });
    const find = doc.operations.find((o) => o.operationId === "findPets")!;
    expect(find.parameters.map((p) => `${p.name}:${schemaTypeLabel(p.schema)}`)).toEqual(["tags:string[]", "limit:integer<int32>"]);
  });

  it("every demo OpenAPI definition reads with operations", () => {
    for (const [file, text] of Object.entries({ demoAuth, demoOrders, demoPayments, demoSearch })) {
      const parsed = parseDefinition("openapi", text);
      expect(parsed.kind, file).toBe("openapi");
      if (parsed.kind !== "openapi") continue;
      expect(parsed.summary.operations.length, file).toBeGreaterThan(0);
      for (const op of parsed.summary.operations) for (const r of op.responses) for (const c of r.content) buildSchemaTree(parsed.doc, c.schema);
    }
  });
});

function names(n: SchemaNode | undefined): string[] {
  return (n?.properties ?? []).map((p) => `${p.name}${p.required ? "*" : ""}:${p.node.label}`);
}
