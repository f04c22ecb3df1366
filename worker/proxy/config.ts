/**
 * The proxy's endpoints, from the PROXY_ENDPOINTS var (JSON), checked once per environment object. The
 * configuration is all-or-nothing: one problem anywhere (bad JSON, an unknown field, a target that is not a
 * plain base URL, a forbidden header, a secret that is referenced but not set) makes every proxy route
 * answer 503 naming the problems, so a typo never half-opens an endpoint.
 *
 *   { "<name>": { "target": "https://api.example.com/v1",         base URL; requests stay under its path
 *                 "methods": ["GET", "POST"],                     default ["GET"]; GET also serves HEAD
 *                 "allowedHeaders": ["accept", "x-trace"],        caller headers passed on (default below)
 *                 "responseHeaders": ["x-total-count"],           upstream headers passed back, besides the default
 *                 "headers": { "authorization": "Bearer ${PROXY_<NAME>__TOKEN}" },   injected, from secrets
 *                 "paths": ["/incidents", "/services/*", "/users/**"],   optional allow-list
 *                 "credentials": "never" | "forward",            forward: the caller's cookies, minus the portal's
 *                 "timeoutMs": 10000, "maxResponseBytes": 1048576, "maxRequestBytes": 1048576,
 *                 "internal": false } }                           true: http and private addresses allowed
 *
 * Secrets: a header value may reference `${PROXY_<NAME>__<KEY>}` only, where <NAME> is the endpoint's name
 * upper-cased with '-' → '_' and <KEY> is upper-case words joined by single '_'. Endpoint names never
 * contain "__" and keys never do either, so the first "__" splits a variable into exactly one (endpoint,
 * key) pair: an endpoint can name its own secrets and no other variable of the worker (not SESSION_SECRET,
 * not ADMIN_TOKEN, not another endpoint's token).
 */
import * as v from "valibot";
import { refusedHost } from "../net/address";
import type { ProxyTarget } from "../net/policy";
import { checkTargetPath, compilePathRules, type PathRule } from "./path";
import { FORBIDDEN_REQUEST_HEADERS, FORBIDDEN_RESPONSE_HEADERS, HEADER_NAME, isForbiddenRequestHeader } from "./headers";

export interface ProxyEndpoint extends ProxyTarget {
  /** Methods the endpoint forwards (upper case); GET implies HEAD. */
  methods: ReadonlySet<string>;
  /** Caller request headers passed on (lower case). */
  allowedHeaders: readonly string[];
  /** Upstream response headers passed back besides the default list (lower case). */
  responseHeaders: readonly string[];
  /** Headers set on every upstream request, secrets already substituted. */
  inject: readonly (readonly [name: string, value: string])[];
  /** Path allow-list; null: every path under the target. */
  paths: readonly PathRule[] | null;
  credentials: "never" | "forward";
  timeoutMs: number;
  maxResponseBytes: number;
  maxRequestBytes: number;
}

export type ProxyConfig = { ok: true; endpoints: ReadonlyMap<string, ProxyEndpoint> } | { ok: false; problems: string[] };

/** Endpoint names: lower-case words joined by single '-' (as plugin ids), so the env prefix is unambiguous. */
export const ENDPOINT_NAME = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;
export const MAX_NAME = 40;
const SECRET_KEY = /^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)*$/;
const MAX_ENDPOINTS = 100;
const MAX_HEADER_VALUE = 8 * 1024;

export const DEFAULT_METHODS = ["GET"] as const;
export const DEFAULT_ALLOWED_HEADERS = ["accept", "accept-language", "content-type", "if-none-match", "if-modified-since"] as const;
export const DEFAULT_TIMEOUT_MS = 10_000;
export const DEFAULT_MAX_RESPONSE_BYTES = 1024 * 1024;
export const DEFAULT_MAX_REQUEST_BYTES = 1024 * 1024;
const METHODS = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"] as const;

/** The variable holding one of an endpoint's secrets: `PROXY_<NAME>__<KEY>`. */
export const secretVar = (endpoint: string, key: string) => `PROXY_${endpoint.toUpperCase().replaceAll("-", "_")}__${key}`;

const HeaderNameSchema = v.pipe(v.string(), v.regex(HEADER_NAME, "must be an HTTP header name"), v.toLowerCase());

const EndpointSchema = v.strictObject({
  target: v.string(),
  methods: v.optional(v.pipe(v.array(v.pipe(v.string(), v.toUpperCase(), v.picklist(METHODS, `must be one of ${METHODS.join(", ")}`))), v.minLength(1, "must name at least one method"))),
  allowedHeaders: v.optional(v.array(HeaderNameSchema)),
  responseHeaders: v.optional(v.array(HeaderNameSchema)),
  headers: v.optional(v.custom<Record<string, unknown>>((x) => typeof x === "object" && x !== null && !Array.isArray(x), "must be an object of header names to values")),
  paths: v.optional(v.pipe(v.array(v.string()), v.minLength(1, "must list at least one path (leave it out to allow every path)"), v.maxLength(200))),
  credentials: v.optional(v.picklist(["never", "forward"], 'must be "never" or "forward"')),
  timeoutMs: v.optional(v.pipe(v.number(), v.integer(), v.minValue(100), v.maxValue(60_000))),
  maxResponseBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(32 * 1024 * 1024))),
  maxRequestBytes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10 * 1024 * 1024))),
  internal: v.optional(v.boolean()),
});

/** `https://host[:port]/base` → origin and base path, or a problem. */
function parseTarget(value: string, internal: boolean, problem: (m: string) => void): { origin: string; basePath: string } | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    // Never echo the value: an operator may have pasted a token into it.
    problem("target is not an absolute URL");
    return null;
  }
  if (url.protocol !== "https:" && !(url.protocol === "http:" && internal)) {
    problem(`target must be an https URL${url.protocol === "http:" ? ' (plain http only with "internal": true)' : ""}`);
    return null;
  }
  if (url.username || url.password) return problem("target may not carry credentials (user:password@); inject them as headers"), null;
  if (url.search || url.hash || value.includes("?") || value.includes("#")) return problem("target may not have a query or fragment"), null;
  // The parser normalises dot segments and backslashes; a target that changed under it is not what was meant.
  const raw = value.replace(/^[a-z]+:\/\/[^/]*/i, "");
  if (raw !== "" && raw !== url.pathname) return problem("target path is not in normal form (dot segments, backslashes or characters the URL parser rewrites)"), null;
  const pathProblem = checkTargetPath(url.pathname);
  if (pathProblem) return problem(`target path ${pathProblem}`), null;
  if (!internal) {
    const address = refusedHost(url.hostname);
    if (address) return problem(`target host is refused (${address}); a service on your own network needs "internal": true`), null;
  }
  return { origin: url.origin, basePath: url.pathname.replace(/\/+$/, "") };
}

const PLACEHOLDER = /\$\{([^}]*)\}/g;

/** A header value with `${PROXY_<NAME>__<KEY>}` substituted from env; problems name variables, never values. */
function resolveValue(name: string, header: string, template: string, env: Record<string, unknown>, problem: (m: string) => void): string | null {
  let ok = true;
  const prefix = secretVar(name, "");
  const value = template.replace(PLACEHOLDER, (_, ref: string) => {
    if (!ref.startsWith(prefix) || !SECRET_KEY.test(ref.slice(prefix.length))) {
      problem(`header ${header} references \${${ref.slice(0, 80)}}: an endpoint may only use its own secrets, \${${prefix}<KEY>}`);
      ok = false;
      return "";
    }
    const secret = Object.hasOwn(env, ref) ? env[ref] : undefined;
    if (typeof secret !== "string" || secret === "") {
      problem(`header ${header} needs the secret ${ref}, which is not set`);
      ok = false;
      return "";
    }
    return secret;
  });
  if (!ok) return null;
  if (value.includes("${")) return problem(`header ${header} has an unterminated \${...}`), null;
  // CR/LF would split the header (request smuggling); other controls are refused by fetch or by servers.
  if (/[\u0000-\u0008\u000a-\u001f\u007f]/.test(value)) return problem(`the value of header ${header} contains a control character (CR, LF, NUL, ...)`), null;
  if (value.length > MAX_HEADER_VALUE) return problem(`the value of header ${header} is longer than ${MAX_HEADER_VALUE} characters`), null;
  return value.trim();
}

function parseEndpoint(name: string, raw: unknown, env: Record<string, unknown>, problems: string[]): ProxyEndpoint | null {
  const at = `PROXY_ENDPOINTS.${name}`;
  const before = problems.length;
  const problem = (m: string) => void problems.push(`${at}: ${m}`);
  const parsed = v.safeParse(EndpointSchema, raw);
  if (!parsed.success) {
    for (const issue of parsed.issues.slice(0, 5)) {
      const path = v.getDotPath(issue);
      problems.push(`${at}${path ? `.${path}` : ""} ${issue.message}`);
    }
    return null;
  }
  const o = parsed.output;
  const internal = o.internal ?? false;
  const target = parseTarget(o.target, internal, problem);

  const allowedHeaders = [...new Set(o.allowedHeaders ?? DEFAULT_ALLOWED_HEADERS)];
  for (const h of allowedHeaders) {
    if (isForbiddenRequestHeader(h)) problem(`allowedHeaders may not list '${h}': ${FORBIDDEN_REQUEST_HEADERS.get(h) ?? "the platform's and forwarding headers are never passed on"}`);
  }
  const responseHeaders = [...new Set(o.responseHeaders ?? [])];
  for (const h of responseHeaders) {
    if (FORBIDDEN_RESPONSE_HEADERS.has(h) || h.startsWith("access-control-")) problem(`responseHeaders may not list '${h}': it would act on the portal's own origin or framing`);
  }

  const inject: [string, string][] = [];
  for (const [header, template] of Object.entries(o.headers ?? {})) {
    const lower = header.toLowerCase();
    if (!HEADER_NAME.test(header)) problem(`headers: '${header.slice(0, 80)}' is not an HTTP header name`);
    else if (typeof template !== "string") problem(`headers.${header} must be a string`);
    else if (lower === "cookie" || (isForbiddenRequestHeader(lower) && lower !== "authorization")) problem(`headers may not set '${header}'`);
    else {
      const value = resolveValue(name, header, template, env, problem);
      if (value !== null) inject.push([lower, value]);
    }
  }

  let paths: PathRule[] | null = null;
  if (o.paths) {
    try {
      paths = compilePathRules(o.paths);
    } catch (err) {
      problem(`paths: ${(err as Error).message}`);
    }
  }
  if (problems.length > before || !target) return null;
  const methods = new Set<string>(o.methods ?? DEFAULT_METHODS);
  if (methods.has("GET")) methods.add("HEAD");
  return {
    name,
    ...target,
    internal,
    methods,
    allowedHeaders,
    responseHeaders,
    inject,
    paths,
    credentials: o.credentials ?? "never",
    timeoutMs: o.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxResponseBytes: o.maxResponseBytes ?? DEFAULT_MAX_RESPONSE_BYTES,
    maxRequestBytes: o.maxRequestBytes ?? DEFAULT_MAX_REQUEST_BYTES,
  };
}

/** Parses PROXY_ENDPOINTS (absent or empty: no endpoints) against `env` for the secrets. */
export function parseProxyConfig(json: unknown, env: Record<string, unknown>): ProxyConfig {
  const text = typeof json === "string" ? json.trim() : "";
  if (json !== undefined && typeof json !== "string") return { ok: false, problems: ["PROXY_ENDPOINTS must be a JSON string"] };
  if (!text) return { ok: true, endpoints: new Map() };
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    return { ok: false, problems: [`PROXY_ENDPOINTS is not valid JSON: ${(err as Error).message}`] };
  }
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) return { ok: false, problems: ["PROXY_ENDPOINTS must be a JSON object of endpoint names to endpoints"] };
  const problems: string[] = [];
  const endpoints = new Map<string, ProxyEndpoint>();
  const names = Object.keys(raw);
  if (names.length > MAX_ENDPOINTS) problems.push(`PROXY_ENDPOINTS has ${names.length} endpoints; at most ${MAX_ENDPOINTS}`);
  for (const name of names.slice(0, MAX_ENDPOINTS)) {
    if (!ENDPOINT_NAME.test(name) || name.length > MAX_NAME) {
      problems.push(`PROXY_ENDPOINTS: '${name.slice(0, 80)}' is not an endpoint name (lower-case words joined by single '-', at most ${MAX_NAME} characters)`);
      continue;
    }
    const endpoint = parseEndpoint(name, (raw as Record<string, unknown>)[name], env, problems);
    if (endpoint) endpoints.set(name, endpoint);
  }
  return problems.length ? { ok: false, problems } : { ok: true, endpoints };
}

const cache = new WeakMap<object, ProxyConfig>();

/** The proxy config of this environment (parsed on first use, then kept for the env object's lifetime). */
export function proxyConfig(env: Env): ProxyConfig {
  let config = cache.get(env);
  if (!config) {
    const record = env as unknown as Record<string, unknown>;
    cache.set(env, (config = parseProxyConfig(record.PROXY_ENDPOINTS, record)));
  }
  return config;
}
