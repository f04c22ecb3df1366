/** request(): fetch JSON from the worker's API and turn Backstage's error envelope into an ApiError. */

/** Names the UI switches on. Server names pass through untouched; the client adds NetworkError and ParseError. */
export type ApiErrorName =
  | "InputError"
  | "AuthenticationError"
  | "NotAllowedError"
  | "NotFoundError"
  | "ConflictError"
  | "NotModifiedError"
  | "ServiceUnavailableError"
  | "NetworkError"
  | "ParseError"
  | "Error"
  | (string & {});

export class ApiError extends Error {
  override readonly name: ApiErrorName;
  /** HTTP status; 0 when the server could not be reached. */
  readonly status: number;
  readonly requestId?: string;
  constructor(name: ApiErrorName, message: string, status: number, requestId?: string) {
    super(message);
    this.name = name;
    this.status = status;
    this.requestId = requestId;
  }
}

export function isApiError(err: unknown): err is ApiError {
  return err instanceof ApiError;
}

export function isNotFound(err: unknown): boolean {
  return isApiError(err) && (err.name === "NotFoundError" || err.status === 404);
}

const NAME_BY_STATUS: Record<number, ApiErrorName> = {
  304: "NotModifiedError",
  400: "InputError",
  401: "AuthenticationError",
  403: "NotAllowedError",
  404: "NotFoundError",
  409: "ConflictError",
  503: "ServiceUnavailableError",
};

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Reads Backstage's ErrorResponseBody: `{error:{name,message}, request, response:{statusCode}}`.
 * Like `ResponseError.fromResponse`, the envelope counts only when both `error` and `response` are there;
 * anything else (an HTML page from a proxy, plain text) becomes a generic error named after the status.
 */
export function parseErrorBody(status: number, statusText: string, body: unknown): ApiError {
  if (isRecord(body) && isRecord(body.error) && isRecord(body.response)) {
    const e = body.error;
    const statusCode = typeof body.response.statusCode === "number" ? body.response.statusCode : status;
    const name = typeof e.name === "string" && e.name ? e.name : NAME_BY_STATUS[statusCode] ?? "Error";
    const message = typeof e.message === "string" && e.message ? e.message : `Request failed with status ${statusCode}`;
    const requestId = typeof e.requestId === "string" ? e.requestId : undefined;
    return new ApiError(name, message, statusCode, requestId);
  }
  const name = NAME_BY_STATUS[status] ?? "Error";
  const text = statusText ? `${status} ${statusText}` : String(status);
  return new ApiError(name, `Request failed with status ${text}`, status);
}

/** Turns a non-2xx Response into an ApiError (reads the body once). */
export async function errorFromResponse(res: Response): Promise<ApiError> {
  let body: unknown = undefined;
  const type = res.headers.get("content-type") ?? "";
  if (type.includes("json")) {
    try {
      body = await res.json();
    } catch {
      body = undefined;
    }
  }
  return parseErrorBody(res.status, res.statusText, body);
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  /** Injected in tests; defaults to the global fetch. */
  fetch?: typeof fetch;
  /** A response already on its way for this path, or its answer already in the page (api/early.ts); used instead of a new fetch. */
  pending?: Promise<Response> | InlineAnswer;
}

/** An API answer the worker wrote into the page (worker/portal/inline.ts), as its status and JSON text (api/early.ts). */
export interface InlineAnswer {
  status: number;
  text: string;
}

export function isInlineAnswer(read: Promise<Response> | InlineAnswer): read is InlineAnswer {
  return typeof (read as InlineAnswer).text === "string";
}

/**
 * The JSON of an answer the page already holds, or its ApiError, as request() (or a plugin's fetchJson, whose
 * answers come from `sender` "plugin") would make of the same response.
 */
export function jsonOfInline<T>(answer: InlineAnswer, path: string, sender: "server" | "plugin" = "server"): T {
  let body: unknown;
  try {
    body = answer.status === 204 ? undefined : JSON.parse(answer.text);
  } catch {
    if (answer.status >= 200 && answer.status < 300) throw new ApiError("ParseError", `The ${sender} sent a response that is not valid JSON (${path})`, answer.status);
  }
  if (answer.status < 200 || answer.status >= 300) throw parseErrorBody(answer.status, "", body);
  return body as T;
}

/** GET/POST `path` (absolute, e.g. `/api/catalog/...`) and return its JSON, or throw an ApiError. */
export async function request<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const doFetch = opts.fetch ?? globalThis.fetch.bind(globalThis);
  const init: RequestInit = { method: opts.method ?? (opts.body === undefined ? "GET" : "POST"), signal: opts.signal };
  const headers: Record<string, string> = { accept: "application/json" };
  if (opts.body !== undefined) {
    headers["content-type"] = "application/json";
    init.body = JSON.stringify(opts.body);
  }
  init.headers = headers;
  if (opts.pending && isInlineAnswer(opts.pending)) return jsonOfInline<T>(opts.pending, path);
  let res: Response;
  try {
    res = await (opts.pending ?? doFetch(path, init));
  } catch (err) {
    if (err instanceof DOMException && err.name === "AbortError") throw err;
    throw new ApiError("NetworkError", "Could not reach the Edgestage API. Check your connection and try again.", 0);
  }
  if (!res.ok) throw await errorFromResponse(res);
  if (res.status === 204) return undefined as T;
  try {
    return (await res.json()) as T;
  } catch {
    throw new ApiError("ParseError", `The server sent a response that is not valid JSON (${path})`, res.status);
  }
}
