/**
 * A plugin's `fetch`: http(s) to the hosts its manifest lists and nowhere else, through the worker's one
 * guarded fetch (worker/net/fetch.ts): never an IP literal outside public unicast or `localhost` whatever the
 * manifest says, no userinfo, every redirect hop checked by the same rules, one timeout and a streamed cap.
 * Refusals and failures are ApiErrors, so a plugin that lets them through still answers in the error shape.
 */
import { ApiError } from "../../errors";
import { refusedHost } from "../../net/address";
import { OutboundRefusedError, TooLargeError } from "../../net/errors";
import { guardedFetch } from "../../net/fetch";
import { hostAllowed, parseHostList } from "../../net/host-list";
import { RetryableError } from "../../github/errors";

export const PLUGIN_FETCH_TIMEOUT_MS = 10_000;
export const PLUGIN_FETCH_MAX_BYTES = 8 * 1024 * 1024;
const MAX_REDIRECTS = 5;
const MAX_REQUEST_BODY = 1024 * 1024;

function refuse(message: string, rule: string): never {
  throw new OutboundRefusedError(message, rule);
}

export function checkPluginUrl(pluginId: string, hosts: readonly string[], url: URL): void {
  if (url.protocol !== "https:" && url.protocol !== "http:") refuse(`plugin ${pluginId} may fetch http(s) URLs only, not ${url.protocol}`, "scheme-not-allowed");
  if (url.username || url.password) refuse(`plugin ${pluginId} may not fetch URLs with credentials (user:password@)`, "userinfo");
  const address = refusedHost(url.hostname);
  if (address) refuse(`plugin ${pluginId} may not fetch ${url.host}: ${address} hosts are never reached`, "address-not-public");
  if (!hostAllowed(url.host, hosts)) refuse(`plugin ${pluginId} may not fetch ${url.host}: not among the hosts its manifest lists`, "host-not-allowed");
}

function bodyText(body: RequestInit["body"]): string | undefined {
  if (body === undefined || body === null) return undefined;
  const text = typeof body === "string" ? body : body instanceof URLSearchParams ? body.toString() : null;
  if (text === null) throw new ApiError("InputError", "A plugin's fetch sends text bodies only (a string or URLSearchParams)");
  if (text.length > MAX_REQUEST_BODY) throw new ApiError("PayloadTooLargeError", `A plugin's fetch sends at most ${MAX_REQUEST_BODY} characters`);
  return text;
}

export function createPluginFetch(pluginId: string, manifestHosts: readonly string[] | undefined) {
  const hosts = parseHostList((manifestHosts ?? []).join(","));
  return async (input: string | URL, init: RequestInit = {}): Promise<Response> => {
    let url: URL;
    try {
      url = new URL(String(input));
    } catch {
      throw new ApiError("InputError", `plugin ${pluginId} fetched '${String(input).slice(0, 200)}', which is not an absolute URL`);
    }
    const headers: Record<string, string> = {};
    new Headers(init.headers).forEach((value, name) => (headers[name] = value));
    try {
      const res = await guardedFetch(
        url,
        { method: init.method, headers, body: bodyText(init.body), timeoutMs: PLUGIN_FETCH_TIMEOUT_MS, maxBytes: PLUGIN_FETCH_MAX_BYTES, maxRedirects: MAX_REDIRECTS },
        (hop) => checkPluginUrl(pluginId, hosts, hop),
      );
      const bytes = await res.bytes();
      const out = new Response([101, 204, 205, 304].includes(res.status) ? null : bytes, { status: res.status, headers: res.headers });
      Object.defineProperty(out, "url", { value: res.url });
      return out;
    } catch (err) {
      if (err instanceof OutboundRefusedError) throw new ApiError("NotAllowedError", err.message);
      if (err instanceof TooLargeError) throw new ApiError("ServiceUnavailableError", `plugin ${pluginId}: ${err.message}`);
      if (err instanceof RetryableError) throw new ApiError("ServiceUnavailableError", `plugin ${pluginId}: ${err.message}`);
      throw err;
    }
  };
}
