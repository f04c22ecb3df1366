/**
 * The one error shape of the API: Backstage's ErrorResponseBody, so `@backstage/catalog-client` and other
 * Backstage clients understand every failure. Domain code throws ApiError; renderError turns anything into JSON.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";

const STATUS_BY_NAME = {
  InputError: 400,
  AuthenticationError: 401,
  NotAllowedError: 403,
  NotFoundError: 404,
  // The proxy (worker/proxy): a method its endpoint does not allow; the answer carries `Allow`.
  MethodNotAllowedError: 405,
  ConflictError: 409,
  LengthRequiredError: 411,
  PayloadTooLargeError: 413,
  URITooLongError: 414,
  // A plugin's storage is full (rows or bytes): the write is refused whole.
  QuotaExceededError: 413,
  UnsupportedMediaTypeError: 415,
  TooManyRequestsError: 429,
  NotImplementedError: 501,
  // An upstream (a proxy endpoint's target) answered with something the worker will not pass on, or not at all.
  BadGatewayError: 502,
  ServiceUnavailableError: 503,
  GatewayTimeoutError: 504,
} as const;

export type ErrorName = keyof typeof STATUS_BY_NAME;

export class ApiError extends Error {
  readonly name: ErrorName;
  readonly status: number;
  /** More fields for the body's `error` object besides name and message (e.g. a form's field errors). */
  readonly details?: Record<string, unknown>;
  constructor(name: ErrorName, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = name;
    this.status = STATUS_BY_NAME[name];
    if (details) this.details = details;
  }
}

export interface ErrorResponseBody {
  error: { name: string; message: string; requestId?: string };
  request: { method: string; url: string };
  response: { statusCode: number };
}

function requestUrl(c: Context): string {
  const url = new URL(c.req.url);
  return url.pathname + url.search;
}

export function errorBody(c: Context, name: string, message: string, statusCode: number): ErrorResponseBody {
  const requestId = c.get("requestId") as string | undefined;
  return {
    error: { name, message, ...(requestId ? { requestId } : {}) },
    request: { method: c.req.method, url: requestUrl(c) },
    response: { statusCode },
  };
}

/** app.onError handler: known errors keep their status, anything else is a logged 500 with a bland message. */
export function renderError(err: unknown, c: Context): Response {
  if (err instanceof ApiError) {
    const body = errorBody(c, err.name, err.message, err.status);
    if (err.details) body.error = { ...err.details, ...body.error };
    return c.json(body, err.status as 400);
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const name = status === 413 ? "PayloadTooLargeError" : status === 401 ? "AuthenticationError" : status < 500 ? "InputError" : "Error";
    return c.json(errorBody(c, name, err.message || "Request failed", status), status);
  }
  if (err instanceof SyntaxError) {
    // Malformed JSON bodies surface as SyntaxError from c.req.json().
    return c.json(errorBody(c, "InputError", `Malformed request body: ${err.message}`, 400), 400);
  }
  console.error(`[${c.get("requestId") ?? "-"}] unhandled error`, err);
  return c.json(errorBody(c, "Error", "Internal server error", 500), 500);
}
