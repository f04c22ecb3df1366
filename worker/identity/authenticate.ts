/**
 * Who is calling, decided once per request, in this order: an `Authorization: Bearer` credential (the
 * ADMIN_TOKEN, else a service token), a Cloudflare Access assertion (when configured), the session
 * cookie, the development guest, else anonymous. A credential that is present but wrong makes the caller
 * anonymous *with a problem*, which the access seam reports as a 401 instead of falling through to a
 * weaker identity.
 *
 * Cost: a bearer service token is one indexed D1 read; a session is a signature check (once per cookie and
 * isolate), with a D1 read only when it is refreshed (every REFRESH_AFTER); the admin token and the guest
 * cost nothing.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";
import { identityConfig, type IdentityConfig } from "./config";
import { ACCESS_HEADER, verifyAccessJwt } from "./cloudflare-access";
import { ANONYMOUS, type Principal, type UserPrincipal } from "./principal";
import { clearSessionCookie, hasSessionCookie, readSession, sessionCookie } from "./session";
import { findServiceToken, resolveUser, touchServiceToken } from "./store";
import { hashToken, sameSecret, TOKEN_PREFIX } from "./tokens";
import { afterResponse, setHeaders } from "./response";

const TOUCH_INTERVAL_MS = 60_000;

async function fromBearer(c: Context<AppEnv>, header: string): Promise<Principal> {
  const m = /^Bearer\s+(\S+)\s*$/i.exec(header);
  if (!m) return { type: "anonymous", problem: "Unsupported Authorization header: send 'Bearer <token>'" };
  const token = m[1];
  const admin = typeof c.env.ADMIN_TOKEN === "string" ? c.env.ADMIN_TOKEN : "";
  if (admin && sameSecret(token, admin)) return { type: "admin-token" };
  if (token.startsWith(TOKEN_PREFIX)) {
    const now = Date.now();
    const found = await findServiceToken(c.env.DB, await hashToken(token), now);
    if (found) {
      const last = found.lastUsedAt ? Date.parse(found.lastUsedAt) : 0;
      if (now - last >= TOUCH_INTERVAL_MS) afterResponse(c, "service token last-used update", touchServiceToken(c.env.DB, found.id, now, TOUCH_INTERVAL_MS));
      return { type: "service", id: found.id, name: found.name, scopes: found.scopes };
    }
    return { type: "anonymous", problem: "The service token is unknown, expired or revoked" };
  }
  return { type: "anonymous", problem: "The token is not valid" };
}

/** The person behind a verified identity, with fresh ownership claims from the catalog. */
export async function resolvePerson(db: D1Database, who: Omit<UserPrincipal, "type" | "ref" | "ownershipRefs" | "hasEntity"> & { fallbackRef: string }): Promise<UserPrincipal> {
  const { fallbackRef, ...rest } = who;
  const resolved = await resolveUser(db, { login: who.login, email: who.email, fallbackRef });
  return { type: "user", ...rest, ...resolved };
}

/** A user ref from free text (a GitHub login, an email's local part), as Backstage names users. */
export function userRefFor(name: string): string {
  const clean = name.toLowerCase().replace(/[^a-z0-9._-]+/g, "-").replace(/^[-._]+|[-._]+$/g, "").slice(0, 63);
  return `user:default/${clean || "unknown"}`;
}

async function fromSession(c: Context<AppEnv>, config: IdentityConfig, accessEmail?: string): Promise<{ principal: Principal; cookie?: string }> {
  const read = await readSession(c, config);
  if (read === null) return { principal: ANONYMOUS };
  if (!read.ok) return { principal: { type: "anonymous", problem: read.problem }, cookie: clearSessionCookie() };
  const { user, authTime, stale } = read;
  // An Access session belongs to the email Access vouches for now, not to the one it was issued for.
  if (accessEmail !== undefined && (user.source !== "cloudflare-access" || user.email !== accessEmail)) return { principal: ANONYMOUS };
  if (!stale) return { principal: user };
  const fresh = await resolvePerson(c.env.DB, { ...user, fallbackRef: user.ref });
  return { principal: fresh, cookie: await sessionCookie(config, fresh, authTime) };
}

async function authenticate(c: Context<AppEnv>): Promise<{ principal: Principal; cookie?: string }> {
  const config = identityConfig(c.env);
  const authorization = c.req.header("authorization");
  if (authorization !== undefined) return { principal: await fromBearer(c, authorization) };

  const assertion = config.access ? c.req.header(ACCESS_HEADER) : undefined;
  if (config.access && assertion !== undefined) {
    const access = await verifyAccessJwt(config.access, assertion);
    if (!access.ok) return { principal: { type: "anonymous", problem: access.problem } };
    const session = await fromSession(c, config, access.email);
    if (session.principal.type === "user") return session;
    const person = await resolvePerson(c.env.DB, { source: "cloudflare-access", email: access.email, fallbackRef: userRefFor(access.email.split("@")[0]) });
    return { principal: person, cookie: config.sessionKey ? await sessionCookie(config, person) : undefined };
  }

  if (hasSessionCookie(c)) return fromSession(c, config);
  if (config.guest) return { principal: { type: "user", ref: config.guest, ownershipRefs: [config.guest], hasEntity: false, source: "guest", displayName: "Guest" } };
  return { principal: ANONYMOUS };
}

/** The request's principal (resolved on first use, then kept on the context). */
export async function principalOf(c: Context<AppEnv>): Promise<Principal> {
  const known = c.get("principal");
  if (known) return known;
  const { principal, cookie } = await authenticate(c);
  c.set("principal", principal);
  if (cookie) c.set("sessionCookie", cookie);
  return principal;
}

/** App-wide: resolves the principal before any route runs, and sends a refreshed session cookie. */
export function identify() {
  return createMiddleware<AppEnv>(async (c, next) => {
    await principalOf(c);
    await next();
    const cookie = c.get("sessionCookie");
    if (cookie) setHeaders(c, (h) => h.append("set-cookie", cookie));
  });
}
