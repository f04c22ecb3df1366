/**
 * OpenAPI 3.x / Swagger 2.0 document → what the API viewer shows: operations grouped by tag, with
 * parameters (path-level merged in, local `$ref`s resolved), request bodies, responses and named schemas.
 * Pure; schemas stay as plain JSON for the viewer to render.
 */

export type Json = unknown;
type Obj = Record<string, unknown>;

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;

export interface ParameterInfo {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  deprecated: boolean;
  schema?: Json;
}

export interface MediaInfo {
  mediaType: string;
  schema?: Json;
}

export interface ResponseInfo {
  status: string;
  description?: string;
  content: MediaInfo[];
}

export interface OperationInfo {
  /** Stable id for anchors: `get-/pets/{id}`. */
  id: string;
  method: string;
  path: string;
  operationId?: string;
  summary?: string;
  description?: string;
  tags: string[];
  deprecated: boolean;
  parameters: ParameterInfo[];
  requestBody?: { description?: string; required: boolean; content: MediaInfo[] };
  responses: ResponseInfo[];
}

export interface TagGroup {
  tag: string;
  description?: string;
  operations: OperationInfo[];
}

export interface OpenApiSummary {
  /** `OpenAPI 3.0.0`, `Swagger 2.0`. */
  specVersion: string;
  title?: string;
  version?: string;
  description?: string;
  servers: string[];
  operations: OperationInfo[];
  groups: TagGroup[];
  schemas: { name: string; schema: Json }[];
}

function isObj(v: unknown): v is Obj {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v ? v : undefined;
}

/** Resolves a local JSON pointer (`#/components/parameters/limit`); external refs are returned as-is. */
export function resolveLocalRef(doc: Json, ref: string): Json | undefined {
  if (!ref.startsWith("#/")) return undefined;
  let cur: unknown = doc;
  for (const raw of ref.slice(2).split("/")) {
    const key = decodeURIComponent(raw).replace(/~1/g, "/").replace(/~0/g, "~");
    if (!isObj(cur) && !Array.isArray(cur)) return undefined;
    cur = (cur as Obj)[key];
    if (cur === undefined) return undefined;
  }
  return cur;
}

/** Follows `$ref` chains (up to 10) for objects such as parameters and responses. */
export function deref(doc: Json, v: unknown): unknown {
  let cur = v;
  for (let i = 0; i < 10 && isObj(cur) && typeof cur.$ref === "string"; i++) {
    const next = resolveLocalRef(doc, cur.$ref);
    if (next === undefined) return cur;
    cur = next;
  }
  return cur;
}

/** `#/components/schemas/Pet` or `#/definitions/Pet` → `Pet`. */
export function schemaRefName(ref: string): string {
  const parts = ref.split("/");
  return decodeURIComponent(parts[parts.length - 1] ?? ref);
}

function parameterOf(doc: Json, raw: unknown): ParameterInfo | undefined {
  const p = deref(doc, raw);
  if (!isObj(p) || typeof p.name !== "string") return undefined;
  const where = str(p.in) ?? "query";
  // Swagger 2.0 keeps type/format on the parameter itself.
  const schema = p.schema ?? (p.type ? { type: p.type, format: p.format, items: p.items, enum: p.enum, default: p.default } : undefined);
  return {
    name: p.name,
    in: where,
    required: where === "path" ? true : p.required === true,
    description: str(p.description),
    deprecated: p.deprecated === true,
    schema,
  };
}

function contentOf(content: unknown): MediaInfo[] {
  if (!isObj(content)) return [];
  return Object.entries(content).map(([mediaType, m]) => ({ mediaType, schema: isObj(m) ? m.schema : undefined }));
}

function isSwagger2(doc: Obj): boolean {
  return typeof doc.swagger === "string";
}

export function extractOpenApi(doc: Json): OpenApiSummary {
  if (!isObj(doc)) throw new Error("The definition is not an OpenAPI document (expected an object at the top level)");
  const swagger2 = isSwagger2(doc);
  const info = isObj(doc.info) ? doc.info : {};
  const specVersion = swagger2 ? `Swagger ${String(doc.swagger)}` : `OpenAPI ${String(doc.openapi ?? "3")}`;

  const servers: string[] = [];
  if (swagger2) {
    const schemes = Array.isArray(doc.schemes) && doc.schemes.length ? (doc.schemes as unknown[]).map(String) : ["https"];
    if (typeof doc.host === "string") servers.push(`${schemes[0]}://${doc.host}${typeof doc.basePath === "string" ? doc.basePath : ""}`);
  } else if (Array.isArray(doc.servers)) {
    for (const s of doc.servers) if (isObj(s) && typeof s.url === "string") servers.push(s.url);
  }

  const globalConsumes = Array.isArray(doc.consumes) ? (doc.consumes as unknown[]).map(String) : ["application/json"];
  const globalProduces = Array.isArray(doc.produces) ? (doc.produces as unknown[]).map(String) : ["application/json"];

  const operations: OperationInfo[] = [];
  const paths = isObj(doc.paths) ? doc.paths : {};
  for (const [path, rawItem] of Object.entries(paths)) {
    const item = deref(doc, rawItem);
    if (!isObj(item)) continue;
    const shared = Array.isArray(item.parameters) ? item.parameters : [];
    for (const method of HTTP_METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      // Operation-level parameters override path-level ones with the same name and location.
      const byKey = new Map<string, ParameterInfo>();
      for (const raw of [...shared, ...(Array.isArray(op.parameters) ? op.parameters : [])]) {
        const p = parameterOf(doc, raw);
        if (p) byKey.set(`${p.in}:${p.name}`, p);
      }
      let parameters = [...byKey.values()];
      let requestBody: OperationInfo["requestBody"];
      if (swagger2) {
        const body = parameters.find((p) => p.in === "body");
        const form = parameters.filter((p) => p.in === "formData");
        const consumes = Array.isArray(op.consumes) ? (op.consumes as unknown[]).map(String) : globalConsumes;
        if (body) requestBody = { description: body.description, required: body.required, content: consumes.map((mediaType) => ({ mediaType, schema: body.schema })) };
        else if (form.length) {
          const properties: Obj = {};
          for (const f of form) properties[f.name] = f.schema ?? {};
          requestBody = {
            required: form.some((f) => f.required),
            content: [{ mediaType: consumes[0] ?? "application/x-www-form-urlencoded", schema: { type: "object", properties, required: form.filter((f) => f.required).map((f) => f.name) } }],
          };
        }
        parameters = parameters.filter((p) => p.in !== "body" && p.in !== "formData");
      } else {
        const rb = deref(doc, op.requestBody);
        if (isObj(rb)) requestBody = { description: str(rb.description), required: rb.required === true, content: contentOf(rb.content) };
      }
      const responses: ResponseInfo[] = [];
      if (isObj(op.responses)) {
        const produces = Array.isArray(op.produces) ? (op.produces as unknown[]).map(String) : globalProduces;
        for (const [status, rawRes] of Object.entries(op.responses)) {
          const r = deref(doc, rawRes);
          if (!isObj(r)) continue;
          const content = swagger2 ? (r.schema ? produces.map((mediaType) => ({ mediaType, schema: r.schema })) : []) : contentOf(r.content);
          responses.push({ status, description: str(r.description), content });
        }
        responses.sort((a, b) => (a.status === "default" ? 1 : b.status === "default" ? -1 : a.status.localeCompare(b.status)));
      }
      operations.push({
        id: `${method}-${path}`,
        method,
        path,
        operationId: str(op.operationId),
        summary: str(op.summary),
        description: str(op.description),
        tags: Array.isArray(op.tags) && op.tags.length ? (op.tags as unknown[]).map(String) : [],
        deprecated: op.deprecated === true,
        parameters,
        requestBody,
        responses,
      });
    }
  }

  // Groups follow the document's `tags` order, then first appearance; untagged operations go last.
  const groups = new Map<string, TagGroup>();
  if (Array.isArray(doc.tags)) {
    for (const t of doc.tags) if (isObj(t) && typeof t.name === "string") groups.set(t.name, { tag: t.name, description: str(t.description), operations: [] });
  }
  const untagged: OperationInfo[] = [];
  for (const op of operations) {
    if (!op.tags.length) untagged.push(op);
    for (const tag of op.tags) {
      if (!groups.has(tag)) groups.set(tag, { tag, operations: [] });
      groups.get(tag)!.operations.push(op);
    }
  }
  const groupList = [...groups.values()].filter((g) => g.operations.length > 0);
  if (untagged.length) groupList.push({ tag: groupList.length ? "Other" : "Operations", operations: untagged });

  const schemaSource = swagger2 ? doc.definitions : isObj(doc.components) ? doc.components.schemas : undefined;
  const schemas = isObj(schemaSource) ? Object.entries(schemaSource).map(([name, schema]) => ({ name, schema })) : [];

  return {
    specVersion,
    title: str(info.title),
    version: info.version !== undefined ? String(info.version) : undefined,
    description: str(info.description),
    servers,
    operations,
    groups: groupList,
    schemas,
  };
}

/** One-line type of a schema for tables: `string<uuid>`, `Pet[]`, `integer | null`, `object`. */
export function schemaTypeLabel(schema: unknown): string {
  if (!isObj(schema)) return "any";
  if (typeof schema.$ref === "string") return schemaRefName(schema.$ref);
  for (const key of ["oneOf", "anyOf", "allOf"] as const) {
    const parts = schema[key];
    if (Array.isArray(parts) && parts.length) return parts.map(schemaTypeLabel).join(key === "allOf" ? " & " : " | ");
  }
  const type = Array.isArray(schema.type) ? (schema.type as unknown[]).map(String).join(" | ") : str(schema.type);
  if (type === "array") return `${schemaTypeLabel(schema.items)}[]`;
  let label = type ?? (isObj(schema.properties) ? "object" : "any");
  if (typeof schema.format === "string") label += `<${schema.format}>`;
  if (schema.nullable === true) label += " | null";
  return label;
}
