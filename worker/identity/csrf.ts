/**
 * CSRF protection for credentials the browser sends by itself (the session cookie, Cloudflare Access,
 * the development guest): SameSite=Lax keeps the cookie off cross-site subrequests, and a state-changing
 * request must also come from the portal's own origin (or one listed in AUTH_ALLOWED_ORIGINS). Browsers
 * send Origin on every cross-origin write, and Sec-Fetch-Site; a request with neither is not from a
 * browser, so it cannot carry a victim's cookie. Bearer-token requests are not CSRF-able and pass.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { principalOf } from "./authenticate";
import { identityConfig } from "./config";
import { isAmbient } from "./principal";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

export function sameOriginWrites() {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (SAFE_METHODS.has(c.req.method) || !isAmbient(await principalOf(c))) return next();
    const origin = c.req.header("origin");
    const site = c.req.header("sec-fetch-site");
    const own = new URL(c.req.url).origin;
    const allowed = origin !== undefined ? origin === own || identityConfig(c.env).allowedOrigins.includes(origin) : site === undefined || site === "same-origin" || site === "none";
    if (!allowed) {
      throw new ApiError("NotAllowedError", `Cross-site request refused: a ${c.req.method} with the session cookie must come from ${own}${origin ? `, not ${origin}` : ""}`);
    }
    await next();
  });
}
