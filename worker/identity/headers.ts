/**
 * Security headers on every answer the worker gives (the static portal gets its own, stricter-for-HTML
 * set from web/public/_headers). API answers are data: they may not be framed, sniffed, referred or
 * rendered as a document that runs anything.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { setHeaders } from "./response";

const API_HEADERS: [string, string][] = [
  ["content-security-policy", "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"],
  ["x-content-type-options", "nosniff"],
  ["x-frame-options", "DENY"],
  ["referrer-policy", "no-referrer"],
  ["cross-origin-resource-policy", "same-origin"],
];

export function securityHeaders() {
  return createMiddleware<AppEnv>(async (c, next) => {
    await next();
    const https = new URL(c.req.url).protocol === "https:";
    const personal = new URL(c.req.url).pathname.startsWith("/api/auth/");
    setHeaders(c, (h) => {
      for (const [name, value] of API_HEADERS) h.set(name, value);
      if (https) h.set("strict-transport-security", "max-age=31536000; includeSubDomains");
      // Who-am-I answers, tokens shown once, sign-in redirects: never kept by any cache.
      if (personal) h.set("cache-control", "no-store");
    });
  });
}
