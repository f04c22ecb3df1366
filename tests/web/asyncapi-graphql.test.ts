import { load } from "js-yaml";
import { describe, expect, it } from "vitest";
import { extractAsyncApi } from "../../web/src/lib/asyncapi";
import { extractSdlDefinitions, tokenizeSdl } from "../../web/src/lib/graphql";

describe("extractAsyncApi", () => {
  it("reads 2.x channels with publish/subscribe and $ref'd messages", () => {
    const doc = extractAsyncApi(
      load(`
asyncapi: 2.0.0
info: { title: Streetlights API, version: '1.0.0' }
servers: { production: { url: 'api.streetlights.com:{port}', protocol: mqtt } }
channels:
  light/measured:
    description: Measured values
    parameters: { streetlightId: { $ref: '#/components/parameters/streetlightId' } }
    subscribe:
      summary: Receive lighting info
      operationId: receiveLight
      message: { $ref: '#/components/messages/lightMeasured' }
  light/turn/on:
    publish:
      message: { oneOf: [{ $ref: '#/components/messages/turnOn' }, { name: inline }] }
components:
  parameters: { streetlightId: { description: The ID, schema: { type: string } } }
  messages:
    lightMeasured: { name: lightMeasured, title: Light measured, contentType: application/json, payload: { $ref: '#/components/schemas/lux' } }
    turnOn: { name: turnOn }
  schemas: { lux: { type: object, properties: { lumens: { type: integer } } } }
`),
    );
    expect(doc).toMatchObject({ specVersion: "AsyncAPI 2.0.0", title: "Streetlights API", version: "1.0.0" });
    expect(doc.servers).toEqual([{ name: "production", url: "api.streetlights.com:{port}", protocol: "mqtt", description: undefined }]);
    expect(doc.channels.map((c) => c.address)).toEqual(["light/measured", "light/turn/on"]);
    const first = doc.channels[0]!;
    expect(first.parameters).toEqual([{ name: "streetlightId", description: "The ID", schema: { type: "string" } }]);
    expect(first.operations[0]).toMatchObject({ action: "subscribe", operationId: "receiveLight", messages: [{ name: "lightMeasured", title: "Light measured", payload: { type: "object" } }] });
    expect(doc.channels[1]!.operations[0]!.messages.map((m) => m.name)).toEqual(["turnOn", "inline"]);
  });

  it("attaches 3.x operations to their channels", () => {
    const doc = extractAsyncApi({
      asyncapi: "3.0.0",
      info: { title: "Orders" },
      channels: { orders: { address: "orders/{id}", messages: { created: { name: "OrderCreated" } } } },
      operations: { onCreated: { action: "receive", channel: { $ref: "#/channels/orders" } } },
    });
    expect(doc.channels).toHaveLength(1);
    expect(doc.channels[0]).toMatchObject({ address: "orders/{id}", operations: [{ action: "receive", operationId: "onCreated", messages: [{ name: "OrderCreated" }] }] });
  });
});

describe("GraphQL SDL", () => {
  const sdl = `schema {
  query: Root
}

"""A single film.
type NotADefinition"""
type Film implements Node {
  # a comment
  title: String
  characters(first: Int): [Person!]!
}

enum Episode { NEWHOPE }
scalar Date
`;

  it("indexes top-level definitions but not text inside block strings", () => {
    expect(extractSdlDefinitions(sdl).map((d) => `${d.keyword} ${d.name}@${d.line}`)).toEqual(["schema schema@1", "type Film@7", "enum Episode@13", "scalar Date@14"]);
  });

  it("tokenises keywords, types, fields, strings and comments and keeps the text intact", () => {
    const tokens = tokenizeSdl(sdl);
    expect(tokens.map((t) => t.text).join("")).toBe(sdl);
    const kinds = (text: string) => tokens.filter((t) => t.text === text).map((t) => t.kind);
    expect(kinds("Film")).toEqual(["type"]);
    expect(kinds("implements")).toEqual(["keyword"]);
    expect(kinds("title")).toEqual(["field"]);
    expect(kinds("characters")).toEqual(["field"]);
    expect(kinds("# a comment")).toEqual(["comment"]);
    expect(tokens.some((t) => t.kind === "string" && t.text.startsWith('"""A single film.'))).toBe(true);
  });
});
