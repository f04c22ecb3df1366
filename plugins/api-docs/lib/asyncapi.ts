/**
 * AsyncAPI 2.x / 3.x document → servers, channels with their operations and messages (payload and
 * header schemas raw, examples as bounded JSON). Pure; counts capped.
 */
import { boundedJson, entries, isObj, own, str, text, type Json } from "./json";
import { deref, refName, refOf } from "./refs";
import { sampleFromSchema } from "./schema";

export interface AsyncMessage {
  name?: string;
  title?: string;
  summary?: string;
  description?: string;
  contentType?: string;
  payload?: Json;
  headers?: Json;
  examples: { name: string; value: string; generated?: boolean }[];
}

export interface AsyncOperation {
  /** 2.x: publish/subscribe; 3.x: send/receive. */
  action: string;
  operationId?: string;
  summary?: string;
  description?: string;
  messages: AsyncMessage[];
}

export interface AsyncChannel {
  name: string;
  address: string;
  description?: string;
  parameters: { name: string; description?: string; schema?: Json }[];
  operations: AsyncOperation[];
  /** 3.x: the messages the channel declares (operations pick from these). */
  messages: AsyncMessage[];
}

export interface AsyncApiSummary {
  specVersion: string;
  title?: string;
  version?: string;
  description?: string;
  defaultContentType?: string;
  servers: { name: string; url: string; protocol?: string; description?: string }[];
  channels: AsyncChannel[];
}

const MAX_CHANNELS = 1000;

function payloadOf(doc: Json, raw: unknown): Json {
  const p = deref(doc, raw);
  // 3.x multi-format schema object: { schemaFormat, schema }.
  if (isObj(p) && own(p, "schemaFormat") !== undefined && own(p, "schema") !== undefined) return own(p, "schema");
  return raw;
}

function messagesOf(doc: Json, raw: unknown, depth = 0): AsyncMessage[] {
  if (depth > 4) return [];
  const m = deref(doc, raw);
  if (!isObj(m)) return [];
  const oneOf = own(m, "oneOf");
  if (Array.isArray(oneOf)) return oneOf.slice(0, 50).flatMap((x) => messagesOf(doc, x, depth + 1));
  const ref = refOf(raw);
  const name = str(own(m, "name")) ?? str(own(m, "messageId")) ?? (ref ? refName(ref) : undefined);
  const payload = own(m, "payload") !== undefined ? payloadOf(doc, own(m, "payload")) : undefined;
  const examples: AsyncMessage["examples"] = [];
  const given = own(m, "examples");
  if (Array.isArray(given)) {
    given.slice(0, 10).forEach((ex, i) => {
      const value = own(ex, "payload") !== undefined ? own(ex, "payload") : ex;
      examples.push({ name: str(own(ex, "name")) ?? str(own(ex, "summary")) ?? `Example ${i + 1}`, value: boundedJson(value) });
    });
  }
  if (!examples.length && payload !== undefined) {
    const sample = sampleFromSchema(doc, payload);
    if (sample !== undefined) examples.push({ name: "Example", value: boundedJson(sample), generated: true });
  }
  return [
    {
      name,
      title: str(own(m, "title")),
      summary: str(own(m, "summary")),
      description: str(own(m, "description")),
      contentType: str(own(m, "contentType")),
      payload,
      headers: own(m, "headers"),
      examples,
    },
  ];
}

function parametersOf(doc: Json, raw: unknown): AsyncChannel["parameters"] {
  return entries(raw, 50).map(([name, p]) => {
    const v = deref(doc, p);
    const schema = own(v, "schema") ?? (own(v, "enum") !== undefined || own(v, "default") !== undefined ? { type: "string", enum: own(v, "enum"), default: own(v, "default") } : undefined);
    return { name, description: str(own(v, "description")), schema };
  });
}

function pointerKey(id: string): string {
  return id.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function isAsyncApiDocument(doc: unknown): boolean {
  return isObj(doc) && own(doc, "asyncapi") !== undefined;
}

export function extractAsyncApi(doc: Json): AsyncApiSummary {
  if (!isObj(doc)) throw new Error("The definition is not an AsyncAPI document (expected an object at the top level)");
  const version = text(own(doc, "asyncapi")) ?? "";
  const v3 = version.startsWith("3");
  const info = own(doc, "info");

  const servers: AsyncApiSummary["servers"] = [];
  for (const [name, raw] of entries(own(doc, "servers"), 50)) {
    const s = deref(doc, raw);
    if (!isObj(s)) continue;
    const url = str(own(s, "url")) ?? [str(own(s, "host")), str(own(s, "pathname"))].filter(Boolean).join("");
    servers.push({ name, url, protocol: [str(own(s, "protocol")), text(own(s, "protocolVersion"))].filter(Boolean).join(" ") || undefined, description: str(own(s, "description")) });
  }

  const channels: AsyncChannel[] = [];
  const byPointer = new Map<string, AsyncChannel>();
  for (const [id, rawChannel] of entries(own(doc, "channels"), MAX_CHANNELS)) {
    const c = deref(doc, rawChannel);
    if (!isObj(c)) continue;
    const channel: AsyncChannel = {
      name: id,
      address: v3 ? str(own(c, "address")) ?? id : id,
      description: str(own(c, "description")),
      parameters: parametersOf(doc, own(c, "parameters")),
      operations: [],
      messages: v3 ? entries(own(c, "messages"), 100).flatMap(([, m]) => messagesOf(doc, m)) : [],
    };
    if (!v3) {
      for (const action of ["publish", "subscribe"] as const) {
        const op = deref(doc, own(c, action));
        if (!isObj(op)) continue;
        channel.operations.push({ action, operationId: text(own(op, "operationId")), summary: str(own(op, "summary")), description: str(own(op, "description")), messages: messagesOf(doc, own(op, "message")) });
      }
    }
    channels.push(channel);
    byPointer.set(`#/channels/${pointerKey(id)}`, channel);
  }
  if (v3) {
    for (const [opId, rawOp] of entries(own(doc, "operations"), MAX_CHANNELS)) {
      const op = deref(doc, rawOp);
      if (!isObj(op)) continue;
      const channelRef = refOf(own(op, "channel"));
      const channel = channelRef ? byPointer.get(channelRef) : undefined;
      const listed = own(op, "messages");
      const messages = Array.isArray(listed) ? listed.slice(0, 100).flatMap((m) => messagesOf(doc, m)) : channel?.messages ?? [];
      const entry: AsyncOperation = { action: str(own(op, "action")) ?? "send", operationId: opId, summary: str(own(op, "summary")), description: str(own(op, "description")), messages };
      if (channel) channel.operations.push(entry);
      else channels.push({ name: opId, address: channelRef ?? opId, parameters: [], operations: [entry], messages: [] });
    }
  }

  return {
    specVersion: `AsyncAPI ${version || "?"}`,
    title: text(own(info, "title")),
    version: text(own(info, "version")),
    description: str(own(info, "description")),
    defaultContentType: str(own(doc, "defaultContentType")),
    servers,
    channels,
  };
}
