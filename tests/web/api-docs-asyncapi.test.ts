/** The api-docs plugin's AsyncAPI 2.x / 3.x reader, on the streetlights examples and the demo's events. */
import { load } from "js-yaml";
import streetlights2 from "../fixtures/api-docs/asyncapi2-streetlights-mqtt.yml?raw";
import streetlights3 from "../fixtures/api-docs/asyncapi3-streetlights-kafka.yml?raw";
import demoOrderEvents from "../../catalog/demo/apis/order-events-asyncapi.yaml?raw";
import { describe, expect, it } from "vitest";
import { extractAsyncApi } from "../../plugins/api-docs/lib/asyncapi";
import { parseDefinition } from "../../plugins/api-docs/lib/definition";
import { buildSchemaTree } from "../../plugins/api-docs/lib/schema";


describe("extractAsyncApi", () => {
  it("reads 2.x channels with publish/subscribe, oneOf and $ref'd messages", () => {
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
      message: { oneOf: [{ $ref: '#/components/messages/turnOn' }, { name: inline, examples: [{ name: sample, payload: { on: true } }] }] }
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
    expect(first.operations[0]).toMatchObject({ action: "subscribe", operationId: "receiveLight", messages: [{ name: "lightMeasured", title: "Light measured", payload: { $ref: "#/components/schemas/lux" } }] });
    expect(JSON.parse(first.operations[0]!.messages[0]!.examples[0]!.value)).toEqual({ lumens: 0 });
    const turn = doc.channels[1]!.operations[0]!.messages;
    expect(turn.map((m) => m.name)).toEqual(["turnOn", "inline"]);
    expect(turn[1]!.examples).toEqual([{ name: "sample", value: JSON.stringify({ on: true }, null, 2) }]);
  });

  it("attaches 3.x operations to their channels and falls back to the channel's messages", () => {
    const doc = extractAsyncApi({
      asyncapi: "3.0.0",
      info: { title: "Orders" },
      channels: { orders: { address: "orders/{id}", messages: { created: { name: "OrderCreated" } } } },
      operations: { onCreated: { action: "receive", channel: { $ref: "#/channels/orders" } }, orphan: { action: "send", channel: { $ref: "#/channels/missing" } } },
    });
    expect(doc.channels).toHaveLength(2);
    expect(doc.channels[0]).toMatchObject({ address: "orders/{id}", operations: [{ action: "receive", operationId: "onCreated", messages: [{ name: "OrderCreated" }] }] });
    expect(doc.channels[1]).toMatchObject({ name: "orphan", address: "#/channels/missing" });
  });
});

describe("real documents", () => {
  it("AsyncAPI 2.6 streetlights (MQTT): channels, operations, payloads", () => {
    const parsed = parseDefinition("asyncapi", streetlights2);
    if (parsed.kind !== "asyncapi") throw new Error(parsed.kind);
    const doc = parsed.summary;
    expect(doc.specVersion).toBe("AsyncAPI 2.6.0");
    expect(doc.servers.map((s) => s.name)).toEqual(["production"]);
    expect(doc.channels.map((c) => `${c.operations.map((o) => o.action).join(",")} ${c.address}`)).toEqual([
      "publish smartylighting/streetlights/1/0/event/{streetlightId}/lighting/measured",
      "subscribe smartylighting/streetlights/1/0/action/{streetlightId}/turn/on",
      "subscribe smartylighting/streetlights/1/0/action/{streetlightId}/turn/off",
      "subscribe smartylighting/streetlights/1/0/action/{streetlightId}/dim",
    ]);
    const measured = doc.channels[0]!.operations[0]!.messages[0]!;
    expect(measured.name).toBe("lightMeasured");
    const payload = buildSchemaTree(parsed.doc, measured.payload);
    expect(payload.properties!.map((p) => `${p.name}:${p.node.label}`)).toEqual(["lumens:integer", "sentAt:string<date-time>"]);
  });

  it("AsyncAPI 3.1 streetlights (Kafka): operations on channels, messages through channel refs", () => {
    const parsed = parseDefinition("asyncapi", streetlights3);
    if (parsed.kind !== "asyncapi") throw new Error(parsed.kind);
    const doc = parsed.summary;
    expect(doc.specVersion).toBe("AsyncAPI 3.1.0");
    expect(doc.servers.map((s) => `${s.name} ${s.url} ${s.protocol}`)).toEqual(["scram-connections test.mykafkacluster.org:18092 kafka-secure", "mtls-connections test.mykafkacluster.org:28092 kafka-secure"]);
    expect(doc.channels.map((c) => [c.name, c.operations.map((o) => `${o.action}:${o.operationId}`), c.operations[0]?.messages.map((m) => m.name)])).toEqual([
      ["lightingMeasured", ["receive:receiveLightMeasurement"], ["lightMeasured"]],
      ["lightTurnOn", ["send:turnOn"], ["turnOnOff"]],
      ["lightTurnOff", ["send:turnOff"], ["turnOnOff"]],
      ["lightsDim", ["send:dimLight"], ["dimLight"]],
    ]);
    const dim = doc.channels[3]!.operations[0]!.messages[0]!;
    expect(buildSchemaTree(parsed.doc, dim.payload).properties!.find((p) => p.name === "percentage")!.node.constraints).toEqual(["≥ 0", "≤ 100"]);
    expect(doc.channels[0]!.parameters[0]).toMatchObject({ name: "streetlightId", description: "The ID of the streetlight." });
  });

  it("the demo's order events", () => {
    const parsed = parseDefinition("asyncapi", demoOrderEvents);
    if (parsed.kind !== "asyncapi") throw new Error(parsed.kind);
    expect(parsed.summary.channels.length).toBeGreaterThan(0);
    for (const c of parsed.summary.channels) {
      expect(c.operations.length + c.messages.length, c.name).toBeGreaterThan(0);
      for (const op of c.operations) for (const m of op.messages) buildSchemaTree(parsed.doc, m.payload);
    }
  });
});
