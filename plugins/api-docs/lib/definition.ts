/**
 * An API entity's `spec.type` and `spec.definition` → one parsed result for the Definition tab. This is
 * the one entry point for untrusted definitions: it never throws, bounds the input size, and turns any
 * failure (bad YAML, a stack overflow on absurd nesting, a document of the wrong shape) into an `error`
 * result that the viewer shows next to the raw text.
 */
import { load } from "js-yaml";
import { extractAsyncApi, isAsyncApiDocument, type AsyncApiSummary } from "./asyncapi";
import { parseSdl, type GqlSchema } from "./graphql";
import { isObj, type Json } from "./json";
import { extractOpenApi, isOpenApiDocument, type OpenApiSummary } from "./openapi";
import { parseProto, type ProtoFile } from "./proto";

/** Larger definitions are shown as (truncated) text: parsing and rendering them would freeze the tab. */
export const MAX_DEFINITION_CHARS = 3_000_000;
/** How much of an oversized or unreadable definition the text view shows. */
export const MAX_TEXT_CHARS = 200_000;

export type DefinitionFormat = "openapi" | "asyncapi" | "graphql" | "grpc" | "text";

export type ParsedDefinition =
  | { kind: "openapi"; summary: OpenApiSummary; doc: Json; source: string }
  | { kind: "asyncapi"; summary: AsyncApiSummary; doc: Json; source: string }
  | { kind: "graphql"; schema: GqlSchema; source: string }
  | { kind: "grpc"; proto: ProtoFile; source: string }
  | { kind: "text"; source: string; truncated: boolean }
  | { kind: "empty" }
  | { kind: "error"; message: string; source: string; truncated: boolean }
  | { kind: "too-large"; chars: number; source: string };

/** `spec.type` → the viewer that reads it (Backstage's well-known types plus common spellings). */
export function formatOf(type: string): DefinitionFormat {
  const t = type.trim().toLowerCase();
  if (t === "openapi" || t === "swagger" || t === "openapi3" || t === "oas") return "openapi";
  if (t === "asyncapi") return "asyncapi";
  if (t === "graphql" || t === "gql") return "graphql";
  if (t === "grpc" || t === "proto" || t === "protobuf") return "grpc";
  return "text";
}

function safeStringify(v: unknown): string {
  try {
    return JSON.stringify(v, null, 2) ?? "";
  } catch {
    return "";
  }
}

function clip(s: string): { source: string; truncated: boolean } {
  return s.length > MAX_TEXT_CHARS ? { source: s.slice(0, MAX_TEXT_CHARS), truncated: true } : { source: s, truncated: false };
}

function loadDocument(definition: unknown): Json {
  if (typeof definition !== "string") return definition;
  // JSON is YAML, but JSON.parse is faster and exact for the common "definition is JSON" case.
  const trimmed = definition.trimStart();
  if (trimmed.startsWith("{")) {
    try {
      return JSON.parse(definition);
    } catch {
      /* fall through to YAML, which also reports a useful position */
    }
  }
  return load(definition, { json: true });
}

export function parseDefinition(type: string, definition: unknown): ParsedDefinition {
  if (definition === undefined || definition === null || definition === "") return { kind: "empty" };
  let source = "";
  try {
    source = typeof definition === "string" ? definition : safeStringify(definition);
    if (source.length > MAX_DEFINITION_CHARS) return { kind: "too-large", chars: source.length, source: source.slice(0, MAX_TEXT_CHARS) };
    let format = formatOf(typeof type === "string" ? type : "");
    if (format === "text" && typeof definition === "string" && /^\s*(openapi|swagger|asyncapi)\s*:/m.test(definition.slice(0, 2000))) {
      // An unusual spec.type on a document that says what it is: read it as what it says.
      format = /^\s*asyncapi\s*:/m.test(definition.slice(0, 2000)) ? "asyncapi" : "openapi";
    }
    if (format === "graphql") {
      if (typeof definition !== "string") throw new Error("a GraphQL definition must be SDL text");
      return { kind: "graphql", schema: parseSdl(definition), source };
    }
    if (format === "grpc") {
      if (typeof definition !== "string") throw new Error("a gRPC definition must be .proto text");
      return { kind: "grpc", proto: parseProto(definition), source };
    }
    if (format === "openapi" || format === "asyncapi") {
      const doc = loadDocument(definition);
      if (!isObj(doc)) throw new Error(`expected a ${format === "openapi" ? "OpenAPI" : "AsyncAPI"} document (an object at the top level)`);
      // Documents say which they are: an AsyncAPI document filed as openapi still reads.
      if (isAsyncApiDocument(doc)) return { kind: "asyncapi", summary: extractAsyncApi(doc), doc, source };
      if (format === "openapi" || isOpenApiDocument(doc)) return { kind: "openapi", summary: extractOpenApi(doc), doc, source };
      return { kind: "asyncapi", summary: extractAsyncApi(doc), doc, source };
    }
    return { kind: "text", ...clip(source) };
  } catch (err) {
    const message = err instanceof RangeError ? "the definition is nested too deeply to read" : err instanceof Error ? err.message.split("\n")[0]!.slice(0, 500) : String(err);
    return { kind: "error", message, ...clip(source) };
  }
}
