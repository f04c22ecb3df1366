/**
 * Which headers cross the proxy. Requests: only the endpoint's allowed caller headers and its injected ones;
 * never hop-by-hop headers (nor those the caller's Connection names), never the portal's credentials
 * (Authorization, the session cookie, Cloudflare Access), never the platform's or forwarding headers.
 * Answers: an allow-list, because an upstream answer is served from the portal's own origin, where
 * Set-Cookie, Clear-Site-Data, Refresh, CORS or framing headers would act on the portal itself.
 */

/** RFC 9110 field-name (token). */
export const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/;

const HOP_BY_HOP = ["connection", "keep-alive", "proxy-connection", "proxy-authenticate", "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade"];

/** Request headers an endpoint may not let callers send, and why. */
export const FORBIDDEN_REQUEST_HEADERS: ReadonlyMap<string, string> = new Map([
  ...HOP_BY_HOP.map((h) => [h, "hop-by-hop headers are never forwarded"] as const),
  ["host", "the target decides the host"],
  ["content-length", "the proxy sets it from the body it sends"],
  ["expect", "the proxy sends whole bodies"],
  ["authorization", "it carries the caller's portal credential; inject the upstream's with `headers` instead"],
  ["cookie", 'cookies go only with "credentials": "forward", minus the portal\'s own'],
  ["forwarded", "the caller's address is not passed on"],
  ["x-real-ip", "the caller's address is not passed on"],
  ["true-client-ip", "the caller's address is not passed on"],
  ["via", "the platform sets it"],
  ["cdn-loop", "the platform sets it"],
]);

export function isForbiddenRequestHeader(name: string): boolean {
  return FORBIDDEN_REQUEST_HEADERS.has(name) || name.startsWith("cf-") || name.startsWith("x-forwarded-");
}

/** Answer headers passed back by default (cache-control is rewritten, see cacheControl). */
export const DEFAULT_RESPONSE_HEADERS = [
  "content-type",
  "content-language",
  "content-disposition",
  "content-range",
  "accept-ranges",
  "cache-control",
  "etag",
  "last-modified",
  "expires",
  "retry-after",
  "age",
  "date",
] as const;

/** Answer headers no endpoint may pass back: they act on the portal's origin, its framing or the transport. */
export const FORBIDDEN_RESPONSE_HEADERS: ReadonlySet<string> = new Set([
  ...HOP_BY_HOP,
  "set-cookie",
  "set-cookie2",
  "content-length",
  "content-encoding",
  "location",
  "refresh",
  "clear-site-data",
  "content-security-policy",
  "content-security-policy-report-only",
  "strict-transport-security",
  "x-frame-options",
  "x-content-type-options",
  "cross-origin-resource-policy",
  "cross-origin-opener-policy",
  "cross-origin-embedder-policy",
  "permissions-policy",
  "referrer-policy",
  "www-authenticate",
  "alt-svc",
  "service-worker-allowed",
  "origin-agent-cluster",
]);

/** Names listed in a Connection header: hop-by-hop for this message (RFC 9110 §7.6.1). */
export function connectionTokens(headers: Headers): Set<string> {
  return new Set(
    (headers.get("connection") ?? "")
      .split(",")
      .map((t) => t.trim().toLowerCase())
      .filter(Boolean),
  );
}

const PORTAL_COOKIE = /^(?:__host-|__secure-)?edgestage[-_]/i;
/** Cloudflare's own cookies: Access's CF_Authorization (a portal credential), CF_AppSession, cf_clearance, ... */
const PLATFORM_COOKIE = /^(?:__cf|cf_)/i;

/** The caller's Cookie header minus the portal's session and sign-in cookies and Cloudflare's; null when none remain. */
export function forwardableCookies(cookieHeader: string | null): string | null {
  if (!cookieHeader) return null;
  const kept = cookieHeader
    .split(";")
    .map((c) => c.trim())
    .filter((c) => {
      if (!c) return false;
      const name = c.split("=", 1)[0].trim();
      return name !== "" && !PORTAL_COOKIE.test(name) && !PLATFORM_COOKIE.test(name);
    });
  return kept.length ? kept.join("; ") : null;
}

/**
 * Cache-Control for a proxied answer: it was authorized for one caller, so no shared cache may keep it.
 * `public` and shared-cache directives are dropped and `private` added; `no-store` and the rest stay.
 */
export function cacheControl(upstream: string | null): string {
  const kept = (upstream ?? "")
    .split(",")
    .map((d) => d.trim())
    .filter((d) => d && !/^(public|private|s-maxage(=.*)?|proxy-revalidate)$/i.test(d));
  return ["private", ...(kept.length ? kept : ["no-cache"])].join(", ");
}
