/**
 * OpenAPI 3.x / Swagger 2.0 document → what the viewer shows: servers, operations grouped by tag, with
 * parameters (path-level merged in, `$ref`s resolved), request bodies, responses, headers, examples,
 * security schemes and named schemas. Pure; schemas stay raw (`buildSchemaTree` expands one on demand).
 * Counts are capped so a hostile document costs bounded work.
 */
import { boundedJson, entries, isObj, own, str, strList, text, type Json } from "./json";
import { deref } from "./refs";
import { sampleFromSchema } from "./schema";

export const HTTP_METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"] as const;
export const MAX_OPERATIONS = 2000;

export interface ParameterInfo {
  name: string;
  in: string;
  required: boolean;
  description?: string;
  deprecated: boolean;
  schema?: Json;
  example?: string;
}

export interface ExampleInfo {
  name: string;
  summary?: string;
  /** JSON text (bounded). */
  value: string;
  /** Made up from the schema rather than given by the document. */
  generated?: boolean;
}

export interface MediaInfo {
  mediaType: string;
  schema?: Json;
  examples: ExampleInfo[];
}

export interface HeaderInfo {
  name: string;
  description?: string;
  schema?: Json;
}

export interface ResponseInfo {
  status: string;
  description?: string;
  headers: HeaderInfo[];
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
  /** Names of the security schemes that apply (operation-level, else the document's). */
  security: string[];
}

export interface TagGroup {
  tag: string;
  description?: string;
  operations: OperationInfo[];
}

export interface ServerInfo {
  url: string;
  description?: string;
  variables: { name: string; default?: string; enum: string[]; description?: string }[];
}

export interface SecuritySchemeInfo {
  name: string;
  type: string;
  description?: string;
  /** `header X-API-Key`, `bearer JWT`, `oauth2 implicit, password`. */
  detail?: string;
}

export interface OpenApiSummary {
  /** `OpenAPI 3.0.0`, `Swagger 2.0`. */
  specVersion: string;
  title?: string;
  version?: string;
  description?: string;
  servers: ServerInfo[];
  operations: OperationInfo[];
  groups: TagGroup[];
  /** Named schemas with their JSON pointer (trees built from the pointer see a self-reference as circular at once). */
  schemas: { name: string; schema: Json; pointer: string }[];
  securitySchemes: SecuritySchemeInfo[];
  /** Operations past MAX_OPERATIONS were left out. */
  truncated: boolean;
}

function examplesOf(doc: Json, media: unknown, schema: unknown): ExampleInfo[] {
  const out: ExampleInfo[] = [];
  const single = own(media, "example");
  if (single !== undefined) out.push({ name: "Example", value: boundedJson(single) });
  for (const [name, raw] of entries(own(media, "examples"), 20)) {
    const ex = deref(doc, raw);
    // OpenAPI 3 Example Objects carry `value`; Swagger 2 `examples` maps a media type to the value itself.
    if (isObj(ex) && (own(ex, "value") !== undefined || own(ex, "externalValue") !== undefined)) {
      const value = own(ex, "value") !== undefined ? boundedJson(own(ex, "value")) : `// ${String(own(ex, "externalValue"))}`;
      out.push({ name, summary: str(own(ex, "summary")), value });
    } else out.push({ name, value: boundedJson(ex) });
  }
  if (!out.length && schema !== undefined) {
    const sample = sampleFromSchema(doc, schema);
    if (sample !== undefined) out.push({ name: "Example", value: boundedJson(sample), generated: true });
  }
  return out;
}

function parameterOf(doc: Json, raw: unknown): ParameterInfo | undefined {
  const p = deref(doc, raw);
  const name = own(p, "name");
  if (!isObj(p) || typeof name !== "string") return undefined;
  const where = str(own(p, "in")) ?? "query";
  // Swagger 2.0 keeps type/format on the parameter itself.
  const schema =
    own(p, "schema") ??
    (own(p, "type") !== undefined
      ? { type: own(p, "type"), format: own(p, "format"), items: own(p, "items"), enum: own(p, "enum"), default: own(p, "default"), minimum: own(p, "minimum"), maximum: own(p, "maximum") }
      : undefined);
  const example = own(p, "example");
  return {
    name,
    in: where,
    required: where === "path" ? true : own(p, "required") === true,
    description: str(own(p, "description")),
    deprecated: own(p, "deprecated") === true,
    schema,
    example: example !== undefined ? boundedJson(example, 500) : undefined,
  };
}

function contentOf(doc: Json, content: unknown): MediaInfo[] {
  return entries(content, 50).map(([mediaType, m]) => {
    const schema = own(m, "schema");
    return { mediaType, schema, examples: examplesOf(doc, m, schema) };
  });
}

function headersOf(doc: Json, headers: unknown): HeaderInfo[] {
  return entries(headers, 50).map(([name, raw]) => {
    const h = deref(doc, raw);
    const schema = own(h, "schema") ?? (own(h, "type") !== undefined ? { type: own(h, "type"), format: own(h, "format") } : undefined);
    return { name, description: str(own(h, "description")), schema };
  });
}

function securityNames(v: unknown): string[] | undefined {
  if (!Array.isArray(v)) return undefined;
  const names = new Set<string>();
  for (const req of v) for (const [name] of entries(req, 20)) names.add(name);
  return [...names];
}

function securitySchemesOf(doc: Json, swagger2: boolean): SecuritySchemeInfo[] {
  const source = swagger2 ? own(doc, "securityDefinitions") : own(own(doc, "components"), "securitySchemes");
  return entries(source, 50).flatMap(([name, raw]) => {
    const s = deref(doc, raw);
    if (!isObj(s)) return [];
    const type = str(own(s, "type")) ?? "unknown";
    let detail: string | undefined;
    if (type === "apiKey") detail = [str(own(s, "in")), str(own(s, "name"))].filter(Boolean).join(" ");
    else if (type === "http") detail = [str(own(s, "scheme")), str(own(s, "bearerFormat"))].filter(Boolean).join(" ");
    else if (type === "oauth2") detail = swagger2 ? str(own(s, "flow")) : entries(own(s, "flows"), 10).map(([f]) => f).join(", ");
    else if (type === "openIdConnect") detail = str(own(s, "openIdConnectUrl"));
    return [{ name, type, description: str(own(s, "description")), detail: detail || undefined }];
  });
}

function serversOf(doc: Json, swagger2: boolean): ServerInfo[] {
  if (swagger2) {
    const schemes = strList(own(doc, "schemes"));
    const host = str(own(doc, "host"));
    const base = str(own(doc, "basePath")) ?? "";
    if (!host) return base ? [{ url: base, variables: [] }] : [];
    return (schemes.length ? schemes : ["https"]).map((scheme) => ({ url: `${scheme}://${host}${base}`, variables: [] }));
  }
  const servers = own(doc, "servers");
  if (!Array.isArray(servers)) return [];
  return servers.slice(0, 50).flatMap((s) => {
    const url = str(own(s, "url"));
    if (!url) return [];
    const variables = entries(own(s, "variables"), 20).map(([name, v]) => ({
      name,
      default: text(own(v, "default")),
      enum: Array.isArray(own(v, "enum")) ? (own(v, "enum") as unknown[]).map((x) => String(x)).slice(0, 50) : [],
      description: str(own(v, "description")),
    }));
    return [{ url, description: str(own(s, "description")), variables }];
  });
}

export function isOpenApiDocument(doc: unknown): boolean {
  return isObj(doc) && (typeof own(doc, "openapi") === "string" || typeof own(doc, "swagger") === "string" || isObj(own(doc, "paths")));
}

export function extractOpenApi(doc: Json): OpenApiSummary {
  if (!isObj(doc)) throw new Error("The definition is not an OpenAPI document (expected an object at the top level)");
  const swagger2 = own(doc, "swagger") !== undefined;
  const info = isObj(own(doc, "info")) ? own(doc, "info") : {};
  const specVersion = swagger2 ? `Swagger ${text(own(doc, "swagger")) ?? "2.0"}` : `OpenAPI ${text(own(doc, "openapi")) ?? "3"}`;

  const globalConsumes = strList(own(doc, "consumes"));
  const globalProduces = strList(own(doc, "produces"));
  const globalSecurity = securityNames(own(doc, "security")) ?? [];

  const operations: OperationInfo[] = [];
  let truncated = false;
  for (const [path, rawItem] of entries(own(doc, "paths"), MAX_OPERATIONS)) {
    const item = deref(doc, rawItem);
    if (!isObj(item)) continue;
    const shared = Array.isArray(own(item, "parameters")) ? (own(item, "parameters") as unknown[]) : [];
    for (const method of HTTP_METHODS) {
      const op = own(item, method);
      if (!isObj(op)) continue;
      if (operations.length >= MAX_OPERATIONS) {
        truncated = true;
        break;
      }
      // Operation-level parameters override path-level ones with the same name and location.
      const byKey = new Map<string, ParameterInfo>();
      const opParams = Array.isArray(own(op, "parameters")) ? (own(op, "parameters") as unknown[]) : [];
      for (const raw of [...shared, ...opParams].slice(0, 200)) {
        const p = parameterOf(doc, raw);
        if (p) byKey.set(`${p.in}:${p.name}`, p);
      }
      let parameters = [...byKey.values()];
      let requestBody: OperationInfo["requestBody"];
      if (swagger2) {
        const body = parameters.find((p) => p.in === "body");
        const form = parameters.filter((p) => p.in === "formData");
        const opConsumes = strList(own(op, "consumes"));
        const consumes = opConsumes.length ? opConsumes : globalConsumes.length ? globalConsumes : ["application/json"];
        if (body) {
          requestBody = { description: body.description, required: body.required, content: consumes.map((mediaType) => ({ mediaType, schema: body.schema, examples: examplesOf(doc, {}, body.schema) })) };
        } else if (form.length) {
          const properties: Record<string, unknown> = {};
          for (const f of form) Object.defineProperty(properties, f.name, { value: f.schema ?? {}, enumerable: true });
          const schema = { type: "object", properties, required: form.filter((f) => f.required).map((f) => f.name) };
          const mediaType = opConsumes.find((c) => c.includes("form")) ?? consumes.find((c) => c.includes("form")) ?? "application/x-www-form-urlencoded";
          requestBody = { required: form.some((f) => f.required), content: [{ mediaType, schema, examples: [] }] };
        }
        parameters = parameters.filter((p) => p.in !== "body" && p.in !== "formData");
      } else {
        const rb = deref(doc, own(op, "requestBody"));
        if (isObj(rb)) requestBody = { description: str(own(rb, "description")), required: own(rb, "required") === true, content: contentOf(doc, own(rb, "content")) };
      }
      const responses: ResponseInfo[] = [];
      const opProduces = strList(own(op, "produces"));
      const produces = opProduces.length ? opProduces : globalProduces.length ? globalProduces : ["application/json"];
      for (const [status, rawRes] of entries(own(op, "responses"), 100)) {
        const r = deref(doc, rawRes);
        if (!isObj(r)) continue;
        const schema = own(r, "schema");
        const content = swagger2
          ? schema !== undefined
            ? produces.map((mediaType) => ({ mediaType, schema, examples: examplesOf(doc, { examples: own(own(r, "examples"), mediaType) !== undefined ? { [mediaType]: own(own(r, "examples"), mediaType) } : undefined }, schema) }))
            : []
          : contentOf(doc, own(r, "content"));
        responses.push({ status, description: str(own(r, "description")), headers: headersOf(doc, own(r, "headers")), content });
      }
      responses.sort((a, b) => (a.status === "default" ? 1 : b.status === "default" ? -1 : a.status.localeCompare(b.status)));
      operations.push({
        id: `${method}-${path}`,
        method,
        path,
        operationId: text(own(op, "operationId")),
        summary: str(own(op, "summary")),
        description: str(own(op, "description")),
        tags: strList(own(op, "tags")),
        deprecated: own(op, "deprecated") === true,
        parameters,
        requestBody,
        responses,
        security: securityNames(own(op, "security")) ?? globalSecurity,
      });
    }
    if (truncated) break;
  }

  // Groups follow the document's `tags` order, then first appearance; untagged operations go last.
  const groups = new Map<string, TagGroup>();
  const tags = own(doc, "tags");
  if (Array.isArray(tags)) {
    for (const t of tags.slice(0, 500)) {
      const name = str(own(t, "name"));
      if (name && !groups.has(name)) groups.set(name, { tag: name, description: str(own(t, "description")), operations: [] });
    }
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

  const schemaSource = swagger2 ? own(doc, "definitions") : own(own(doc, "components"), "schemas");
  const base = swagger2 ? "#/definitions/" : "#/components/schemas/";
  const schemas = entries(schemaSource, 2000).map(([name, schema]) => ({ name, schema, pointer: base + encodeURIComponent(name.replace(/~/g, "~0").replace(/\//g, "~1")) }));

  return {
    specVersion,
    title: text(own(info, "title")),
    version: text(own(info, "version")),
    description: str(own(info, "description")),
    servers: serversOf(doc, swagger2),
    operations,
    groups: groupList,
    schemas,
    securitySchemes: securitySchemesOf(doc, swagger2),
    truncated,
  };
}
