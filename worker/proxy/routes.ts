/**
 * `/api/proxy/<name>/...`: the named endpoints of PROXY_ENDPOINTS (config.ts). Each request, in order:
 * a well-formed endpoint name (else 404) → the permission through the access seam, `proxy.<name>.read` for
 * GET/HEAD and `proxy.<name>.write` for POST/PUT/PATCH/DELETE (admins hold both; others only what the policy
 * grants, so writes are denied unless granted) → a valid config (else 503 naming the problems) → a configured
 * endpoint (404) → an allowed method (405 with Allow) → a safe path (path.ts: 400/414) on the allow-list
 * (404) → forward.ts. Checking the permission before the configuration means a caller who may not use an
 * endpoint learns nothing about which endpoints exist.
 */
import { Hono, type Context } from "hono";
import { createMiddleware } from "hono/factory";
import { authorize } from "../access";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { ENDPOINT_NAME, MAX_NAME, proxyConfig } from "./config";
import { forward } from "./forward";
import { normalizeProxyPath, pathAllowed, upstreamUrl } from "./path";

export const PROXY_PREFIX = "/api/proxy";
const WRITE_METHODS = ["POST", "PUT", "PATCH", "DELETE"];

/**
 * The endpoint name and the rest of the path, from the raw request path: Hono's `:name` param is decoded,
 * and an encoded '/' must not be able to pick a different endpoint.
 */
function splitPath(c: Context<AppEnv>): { name: string; rest: string } {
  const after = new URL(c.req.url).pathname.slice(PROXY_PREFIX.length + 1);
  const slash = after.indexOf("/");
  const name = slash < 0 ? after : after.slice(0, slash);
  if (!ENDPOINT_NAME.test(name) || name.length > MAX_NAME) throw new ApiError("NotFoundError", "No proxy endpoint by that name");
  return { name, rest: slash < 0 ? "" : after.slice(slash) };
}

function guard(kind: "read" | "write") {
  return createMiddleware<AppEnv>(async (c, next) => authorize(`proxy.${splitPath(c).name}.${kind}`)(c, next));
}

const logged = new Set<string>();

async function handle(c: Context<AppEnv>): Promise<Response> {
  const { name, rest } = splitPath(c);
  const config = proxyConfig(c.env);
  if (!config.ok) {
    const message = `The proxy refuses to run with this configuration: ${config.problems.join("; ")}`;
    if (!logged.has(message)) {
      logged.add(message);
      console.error(message);
    }
    throw new ApiError("ServiceUnavailableError", message);
  }
  const endpoint = config.endpoints.get(name);
  if (!endpoint) throw new ApiError("NotFoundError", `No proxy endpoint named '${name}' is configured (PROXY_ENDPOINTS)`);
  const self = new URL(c.req.url);
  if (new URL(endpoint.origin).hostname === self.hostname) {
    throw new ApiError("ServiceUnavailableError", `Proxy endpoint '${name}' targets this portal itself; it is refused`);
  }
  if (!endpoint.methods.has(c.req.method)) {
    c.header("allow", [...endpoint.methods].join(", "));
    throw new ApiError("MethodNotAllowedError", `Proxy endpoint '${name}' does not allow ${c.req.method}`);
  }
  const path = normalizeProxyPath(rest);
  if (!pathAllowed(endpoint.paths, path.segments)) throw new ApiError("NotFoundError", `Proxy endpoint '${name}' does not allow this path`);
  const url = upstreamUrl(endpoint, path, self.search);
  c.set("auditTarget", `proxy:${name}${url.pathname.slice(endpoint.basePath.length) || "/"}`);
  return forward(endpoint, url, c.req.raw, `${PROXY_PREFIX}/${name}`);
}

export const proxyRoutes = new Hono<AppEnv>();
// GET routes also answer HEAD (Hono), with c.req.method "HEAD": a read.
proxyRoutes.get("/:name/*", guard("read"), handle);
proxyRoutes.on(WRITE_METHODS, "/:name/*", guard("write"), handle);
