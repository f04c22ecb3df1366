/** Small request helpers shared by every route: JSON bodies with clear 4xx answers, and size limits. */
import type { Context } from "hono";
import { bodyLimit } from "hono/body-limit";
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

export function requireString(body: Record<string, unknown>, key: string, where = "body"): string {
  const v = body[key];
  if (typeof v !== "string" || !v.trim()) throw new ApiError("InputError", `Invalid ${where}: '${key}' must be a non-empty string`);
  return v;
}
