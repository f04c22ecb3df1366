/**
 * One proxied exchange: the caller's request, cut down to what the endpoint allows, sent through the
 * outbound policy (worker/net/policy.ts fetchProxy: the endpoint's target only, no redirect followed, a
 * timeout and a streamed size cap), and the answer cut down to what may be served from the portal's own
 * origin. A redirect that stays under the target becomes a redirect to the same place under
 * /api/proxy/<name>; any other redirect is refused (502), so the proxy is never an open redirect.
 */
import { ApiError } from "../errors";
import { OutboundRefusedError, OutboundTimeoutError, TooLargeError } from "../net/errors";
import { fetchProxy, underBasePath } from "../net/policy";
import { RetryableError } from "../github/errors";
import type { ProxyEndpoint } from "./config";
import { cacheControl, connectionTokens, DEFAULT_RESPONSE_HEADERS, forwardableCookies } from "./headers";
import { normalizeProxyPath } from "./path";

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const NO_BODY = new Set([204, 205, 304]);

/** The headers sent upstream: allowed caller headers, forwardable cookies when configured, injected headers last. */
export function upstreamHeaders(endpoint: ProxyEndpoint, incoming: Headers): Record<string, string> {
  const hopByHop = connectionTokens(incoming);
  const out: Record<string, string> = Object.create(null);
  for (const name of endpoint.allowedHeaders) {
    const value = incoming.get(name);
    if (value !== null && !hopByHop.has(name)) out[name] = value;
  }
  if (endpoint.credentials === "forward") {
    const cookies = forwardableCookies(incoming.get("cookie"));
    if (cookies) out.cookie = cookies;
  }
  for (const [name, value] of endpoint.inject) out[name] = value;
  return out;
}

/** The caller's body, read through a cap (declared length first, then counted as it streams). */
async function requestBody(endpoint: ProxyEndpoint, req: Request): Promise<Uint8Array | undefined> {
  if (req.method === "GET" || req.method === "HEAD" || !req.body) return undefined;
  const max = endpoint.maxRequestBytes;
  const tooLarge = () => new ApiError("PayloadTooLargeError", `Proxy endpoint '${endpoint.name}' accepts request bodies of at most ${max} bytes`);
  const declared = Number(req.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > max) throw tooLarge();
  const reader = req.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel().catch(() => {});
      throw tooLarge();
    }
    chunks.push(value);
  }
  const body = new Uint8Array(total);
  let at = 0;
  for (const chunk of chunks) {
    body.set(chunk, at);
    at += chunk.byteLength;
  }
  return body;
}

/** A Location under the target → the same place under the proxy prefix; anything else is refused. */
export function rewriteLocation(endpoint: ProxyEndpoint, location: string, from: URL, proxyPrefix: string): string {
  const refused = () => new ApiError("BadGatewayError", `Proxy endpoint '${endpoint.name}' redirected outside its target; the redirect is not passed on`);
  let to: URL;
  try {
    to = new URL(location, from);
  } catch {
    throw refused();
  }
  if (to.origin !== endpoint.origin || to.username || to.password || !underBasePath(to.pathname, endpoint.basePath)) throw refused();
  const rest = to.pathname.slice(endpoint.basePath.length);
  try {
    normalizeProxyPath(rest === "/" && endpoint.basePath === "" ? "/" : rest);
  } catch {
    throw refused();
  }
  return `${proxyPrefix}${rest}${to.search}`;
}

function answerHeaders(endpoint: ProxyEndpoint, upstream: Headers): Headers {
  const hopByHop = connectionTokens(upstream);
  const out = new Headers();
  for (const name of [...DEFAULT_RESPONSE_HEADERS, ...endpoint.responseHeaders]) {
    const value = upstream.get(name);
    if (value !== null && !hopByHop.has(name) && name !== "cache-control") out.set(name, value);
  }
  out.set("cache-control", cacheControl(upstream.get("cache-control")));
  return out;
}

function failure(endpoint: ProxyEndpoint, err: unknown): never {
  if (err instanceof OutboundTimeoutError) throw new ApiError("GatewayTimeoutError", `Proxy endpoint '${endpoint.name}' did not answer within ${endpoint.timeoutMs} ms`);
  if (err instanceof TooLargeError) throw new ApiError("BadGatewayError", `Proxy endpoint '${endpoint.name}' answered with more than ${endpoint.maxResponseBytes} bytes`);
  if (err instanceof RetryableError) throw new ApiError("BadGatewayError", `Proxy endpoint '${endpoint.name}' could not be reached or cut its answer off`);
  if (err instanceof OutboundRefusedError) throw new ApiError("BadGatewayError", err.message);
  throw err;
}

/** Sends the request to `url` (built by path.ts under the endpoint's target) and returns the answer to serve. */
export async function forward(endpoint: ProxyEndpoint, url: URL, req: Request, proxyPrefix: string): Promise<Response> {
  const body = await requestBody(endpoint, req);
  let res;
  try {
    res = await fetchProxy(endpoint, url, {
      method: req.method,
      headers: upstreamHeaders(endpoint, req.headers),
      body,
      timeoutMs: endpoint.timeoutMs,
      maxBytes: endpoint.maxResponseBytes,
    });
  } catch (err) {
    failure(endpoint, err);
  }
  if (res.status < 200 || res.status > 599) {
    await res.discard();
    throw new ApiError("BadGatewayError", `Proxy endpoint '${endpoint.name}' answered with HTTP status ${res.status}`);
  }
  const headers = answerHeaders(endpoint, res.headers);
  if (REDIRECTS.has(res.status)) {
    await res.discard();
    const location = res.headers.get("location");
    if (location !== null) headers.set("location", rewriteLocation(endpoint, location, url, proxyPrefix));
    return new Response(null, { status: res.status, headers });
  }
  if (req.method === "HEAD" || NO_BODY.has(res.status)) {
    await res.discard();
    return new Response(null, { status: res.status, headers });
  }
  let bytes: Uint8Array;
  try {
    bytes = await res.bytes();
  } catch (err) {
    failure(endpoint, err);
  }
  return new Response(bytes, { status: res.status, headers });
}
