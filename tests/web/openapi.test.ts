import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { deref, extractOpenApi, resolveLocalRef, schemaTypeLabel } from "../../web/src/lib/openapi";

const petstore = load(`
openapi: "3.0.0"
info: { version: 1.0.0, title: Swagger Petstore, description: "A **sample** API" }
servers: [{ url: http://petstore.swagger.io/v1 }]
tags: [{ name: pets, description: Everything about pets }, { name: admin }]
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
          content: { application/json: { schema: { $ref: '#/components/schemas/Pets' } } }
        default:
          description: unexpected error
          content: { application/json: { schema: { $ref: '#/components/schemas/Error' } } }
        '201': { $ref: '#/components/responses/Created' }
    post:
      summary: Create a pet
      tags: [pets]
      requestBody:
        required: true
        content: { application/json: { schema: { $ref: '#/components/schemas/Pet' } } }
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
  schemas:
    Pet:
      type: object
      required: [id, name]
      properties: { id: { type: integer, format: int64 }, name: { type: string }, tag: { type: string } }
    Pets: { type: array, items: { $ref: '#/components/schemas/Pet' } }
    Error: { type: object, properties: { code: { type: integer }, message: { type: string } } }
`);

describe("extractOpenApi", () => {
  const doc = extractOpenApi(petstore);

  it("reads the overview", () => {
    expect(doc).toMatchObject({ specVersion: "OpenAPI 3.0.0", title: "Swagger Petstore", version: "1.0.0", description: "A **sample** API", servers: ["http://petstore.swagger.io/v1"] });
  });

  it("lists every operation with method and path", () => {
    expect(doc.operations.map((o) => `${o.method} ${o.path}`)).toEqual(["get /pets", "post /pets", "get /pets/{petId}", "delete /pets/{petId}"]);
  });

  it("groups by tag in the document's order, untagged last, empty tags dropped", () => {
    expect(doc.groups.map((g) => [g.tag, g.operations.length])).toEqual([
      ["pets", 3],
      ["Other", 1],
    ]);
    expect(doc.groups[0]!.description).toBe("Everything about pets");
  });

  it("resolves parameter refs and merges path-level parameters, operation-level winning", () => {
    const list = doc.operations.find((o) => o.operationId === "listPets")!;
    expect(list.parameters).toEqual([{ name: "limit", in: "query", required: false, description: undefined, deprecated: false, schema: { type: "integer", format: "int32" } }]);
    const get = doc.operations.find((o) => o.id === "get-/pets/{petId}")!;
    expect(get.parameters.map((p) => [p.name, p.in, p.required, p.description])).toEqual([
      ["petId", "path", true, "shared"],
      ["verbose", "query", true, "overridden"],
    ]);
  });

  it("reads request bodies and sorts responses with default last", () => {
    const post = doc.operations.find((o) => o.id === "post-/pets")!;
    expect(post.requestBody).toEqual({ description: undefined, required: true, content: [{ mediaType: "application/json", schema: { $ref: "#/components/schemas/Pet" } }] });
    const list = doc.operations[0]!;
    expect(list.responses.map((r) => r.status)).toEqual(["200", "201", "default"]);
    expect(list.responses[1]!.description).toBe("created");
  });

  it("flags deprecated operations and lists named schemas", () => {
    expect(doc.operations[3]!.deprecated).toBe(true);
    expect(doc.schemas.map((s) => s.name)).toEqual(["Pet", "Pets", "Error"]);
  });

  it("rejects documents that are not objects", () => {
    expect(() => extractOpenApi("just text")).toThrow(/not an OpenAPI document/);
  });
});

describe("Swagger 2.0", () => {
  const doc = extractOpenApi({
    swagger: "2.0",
    info: { title: "Old", version: 2 },
    host: "api.example.com",
    basePath: "/v2",
    schemes: ["https"],
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
    },
    definitions: { Thing: { type: "object", properties: { id: { type: "string" } } } },
  });

  it("maps host/basePath, body parameters and definitions", () => {
    expect(doc.specVersion).toBe("Swagger 2.0");
    expect(doc.version).toBe("2");
    expect(doc.servers).toEqual(["https://api.example.com/v2"]);
    const op = doc.operations[0]!;
    expect(op.parameters.map((p) => p.name)).toEqual(["dry"]);
    expect(op.parameters[0]!.schema).toMatchObject({ type: "boolean" });
    expect(op.requestBody).toMatchObject({ required: true, content: [{ mediaType: "application/json", schema: { $ref: "#/definitions/Thing" } }] });
    expect(op.responses[0]!.content[0]!.schema).toMatchObject({ type: "array" });
    expect(doc.schemas.map((s) => s.name)).toEqual(["Thing"]);
  });
});

describe("refs and type labels", () => {
  it("resolves JSON pointers with escapes", () => {
    const doc = { paths: { "/a/b": { x: 1 } }, c: { $ref: "#/paths/~1a~1b" } };
    expect(resolveLocalRef(doc, "#/paths/~1a~1b")).toEqual({ x: 1 });
    expect(deref(doc, doc.c)).toEqual({ x: 1 });
    expect(resolveLocalRef(doc, "#/nope")).toBeUndefined();
    expect(resolveLocalRef(doc, "other.yaml#/x")).toBeUndefined();
  });

  it("labels schemas compactly", () => {
    expect(schemaTypeLabel({ type: "string", format: "uuid" })).toBe("string<uuid>");
    expect(schemaTypeLabel({ type: "array", items: { $ref: "#/components/schemas/Pet" } })).toBe("Pet[]");
    expect(schemaTypeLabel({ oneOf: [{ type: "string" }, { type: "integer" }] })).toBe("string | integer");
    expect(schemaTypeLabel({ type: "integer", nullable: true })).toBe("integer | null");
    expect(schemaTypeLabel({ properties: {} })).toBe("object");
    expect(schemaTypeLabel(undefined)).toBe("any");
  });
});
