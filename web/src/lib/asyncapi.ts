/** AsyncAPI 2.x / 3.x document → channels with their operations and messages, for the API viewer. Pure. */
import { deref, type Json } from "./openapi";

type Obj = Record<string, unknown>;

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}

export interface AsyncMessage {
  name?: string;
  title?: string;
  summary?: string;
  contentType?: string;
  payload?: Json;
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
}

export interface AsyncApiSummary {
  specVersion: string;
  title?: string;
  version?: string;
  description?: string;
  servers: { name: string; url: string; protocol?: string; description?: string }[];
  channels: AsyncChannel[];
}

function messagesOf(doc: Json, raw: unknown): AsyncMessage[] {
  const m = deref(doc, raw);
  if (!isObj(m)) return [];
  if (Array.isArray(m.oneOf)) return m.oneOf.flatMap((x) => messagesOf(doc, x));
  const name = str(m.name) ?? (isObj(raw) && typeof raw.$ref === "string" ? raw.$ref.split("/").pop() : undefined);
  return [{ name, title: str(m.title), summary: str(m.summary), contentType: str(m.contentType), payload: deref(doc, m.payload) }];
}

function parametersOf(doc: Json, raw: unknown): AsyncChannel["parameters"] {
  if (!isObj(raw)) return [];
  return Object.entries(raw).map(([name, p]) => {
    const v = deref(doc, p);
    return { name, description: isObj(v) ? str(v.description) : undefined, schema: isObj(v) ? v.schema : undefined };
  });
}

export function extractAsyncApi(doc: Json): AsyncApiSummary {
  if (!isObj(doc)) throw new Error("The definition is not an AsyncAPI document (expected an object at the top level)");
  const version = String(doc.asyncapi ?? "");
  const v3 = version.startsWith("3");
  const info = isObj(doc.info) ? doc.info : {};

  const servers: AsyncApiSummary["servers"] = [];
  if (isObj(doc.servers)) {
    for (const [name, s] of Object.entries(doc.servers)) {
      if (!isObj(s)) continue;
      const url = str(s.url) ?? [str(s.host), str(s.pathname)].filter(Boolean).join("");
      servers.push({ name, url, protocol: str(s.protocol), description: str(s.description) });
    }
  }

  const channels: AsyncChannel[] = [];
  const byId = new Map<string, AsyncChannel>();
  if (isObj(doc.channels)) {
    for (const [id, rawChannel] of Object.entries(doc.channels)) {
      const c = deref(doc, rawChannel);
      if (!isObj(c)) continue;
      const channel: AsyncChannel = {
        name: id,
        address: v3 ? str(c.address) ?? id : id,
        description: str(c.description),
        parameters: parametersOf(doc, c.parameters),
        operations: [],
      };
      if (!v3) {
        for (const action of ["publish", "subscribe"] as const) {
          const op = c[action];
          if (!isObj(op)) continue;
          channel.operations.push({ action, operationId: str(op.operationId), summary: str(op.summary), description: str(op.description), messages: messagesOf(doc, op.message) });
        }
      }
      channels.push(channel);
      byId.set(`#/channels/${id.replace(/~/g, "~0").replace(/\//g, "~1")}`, channel);
    }
  }
  if (v3 && isObj(doc.operations)) {
    for (const [opId, rawOp] of Object.entries(doc.operations)) {
      const op = deref(doc, rawOp);
      if (!isObj(op)) continue;
      const channelRef = isObj(op.channel) ? str(op.channel.$ref) : undefined;
      const channel = channelRef ? byId.get(channelRef) : undefined;
      let messages: AsyncMessage[] = [];
      if (Array.isArray(op.messages)) messages = op.messages.flatMap((m) => messagesOf(doc, m));
      else if (channelRef) {
        const c = deref(doc, { $ref: channelRef });
        if (isObj(c) && isObj(c.messages)) messages = Object.values(c.messages).flatMap((m) => messagesOf(doc, m));
      }
      const entry = { action: str(op.action) ?? "send", operationId: opId, summary: str(op.summary), description: str(op.description), messages };
      if (channel) channel.operations.push(entry);
      else channels.push({ name: opId, address: channelRef ?? opId, parameters: [], operations: [entry] });
    }
  }

  return { specVersion: `AsyncAPI ${version || "?"}`, title: str(info.title), version: info.version !== undefined ? String(info.version) : undefined, description: str(info.description), servers, channels };
}
