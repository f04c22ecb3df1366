/**
 * Small request helpers shared by every route: schema-validated query strings and JSON bodies with clear
 * 4xx answers, and size limits.
 */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { sValidator } from "@hono/standard-validator";
import type { StandardSchemaV1 } from "@standard-schema/spec";
import { ApiError } from "./errors";
import type { AppEnv } from "./env";

export function limitBody(maxBytes: number) {
  return bodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new ApiError("PayloadTooLargeError", `Request body is larger than ${Math.round(maxBytes / 1024 / 1024)} MB`);
    },
  });
}

/** Parses a JSON object body; anything else is an InputError naming what was wrong. */
export async function readJsonObject(c: Context): Promise<Record<string, unknown>> {
  let text: string;
  try {
    text = await c.req.text();
  } catch {
    throw new ApiError("InputError", "Request body could not be read");
  }
  if (!text.trim()) throw new ApiError("InputError", "Request body is empty; expected a JSON object");
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ApiError("InputError", `Request body is not valid JSON: ${(err as Error).message}`);
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new ApiError("InputError", "Request body must be a JSON object");
  }
  return value as Record<string, unknown>;
}

export function jsonText(c: Context<AppEnv>, body: string, status: 200 | 201 = 200): Response {
  c.set("jsonBody", body);
  return c.body(body, status, { "content-type": "application/json; charset=UTF-8" });
}

/* ---------------------------------------------------------------------------------------------------------
 * Schema validation of query strings and JSON bodies (valibot through @hono/standard-validator). A failure
 * is an InputError in the one error shape, naming the parameter or body field.
 * ------------------------------------------------------------------------------------------------------- */

type Where = "query" | "body";

/** Valibot's own wording ("Invalid type: Expected ... but received ..."): rewritten to name the field. */
const DEFAULT_MESSAGE = /^Invalid [a-z ]+: (Expected|Received) /;

function pathOf(issue: StandardSchemaV1.Issue): string {
  return (issue.path ?? []).map((p) => String(typeof p === "object" ? p.key : p)).join(".");
}

/** The first issue as one sentence: schema messages written for a field are kept as they are. */
export function issueMessage(issues: readonly StandardSchemaV1.Issue[], where: Where): string {
  const issue = issues[0] as StandardSchemaV1.Issue & { expected?: string | null; received?: string };
  if (!issue) return `Invalid ${where}`;
  if (!DEFAULT_MESSAGE.test(issue.message)) return issue.message;
  const path = pathOf(issue);
  const subject = path ? `${where === "query" ? "query parameter" : "body field"} '${path}'` : where;
  if (issue.expected === "never") return `Invalid ${where}: unknown ${where === "query" ? "parameter" : "field"} '${path}'`;
  if (issue.received === "undefined" && path) return `Invalid ${subject}: it is required`;
  return issue.expected ? `Invalid ${subject}: expected ${issue.expected}, got ${clip(issue.received)}` : `Invalid ${subject}: ${clip(issue.message)}`;
}

/** A received value is the caller's own input, quoted back only as far as it helps. */
const clip = (text: string | undefined) => (text && text.length > 80 ? `${text.slice(0, 80)}…` : text);

function hook(where: Where) {
  return (result: { success: boolean; error?: readonly StandardSchemaV1.Issue[] }) => {
    if (!result.success) throw new ApiError("InputError", issueMessage(result.error ?? [], where));
  };
}

/** Validates (and parses) the query string: `c.req.valid("query")` is the schema's output. */
export function validQuery<S extends StandardSchemaV1>(schema: S) {
  return sValidator("query", schema, hook("query"));
}

/**
 * Validates a JSON body: `c.req.valid("json")` is the schema's output. A body sent as something else
 * than JSON is refused with 415 instead of being read as `{}`.
 */
export function validJson<S extends StandardSchemaV1>(schema: S) {
  const validate = sValidator("json", schema, hook("body"));
  return (async (c, next) => {
    const type = c.req.header("content-type") ?? "";
    if (!/^application\/([\w.-]+\+)?json\s*(;|$)/i.test(type)) {
      throw new ApiError("UnsupportedMediaTypeError", `Expected a JSON body (content-type: application/json), got '${type || "none"}'`);
    }
    return validate(c, next);
  }) as typeof validate;
}
