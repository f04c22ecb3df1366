/**
 * Session and sign-in-flow cookies: HS256 JWTs (jose) signed with SESSION_SECRET, in `__Host-` cookies
 * (HttpOnly, Secure, SameSite=Lax, Path=/, no Domain). A session carries everything an access decision
 * needs (user ref, ownership claims), so checking one costs no D1 query. It slides: once it is older than
 * REFRESH_AFTER the identify step re-resolves the claims and issues a fresh cookie, up to MAX_AGE after
 * sign-in.
 */
import type { Context } from "hono";
import { generateCookie, getCookie } from "hono/cookie";
import { errors, jwtVerify, SignJWT } from "jose";
import type { IdentityConfig } from "./config";
import type { UserPrincipal, UserSource } from "./principal";

export const SESSION_COOKIE = "__Host-edgestage-session";
export const FLOW_COOKIE = "__Host-edgestage-oauth";
const ISSUER = "edgestage";
const SESSION_AUDIENCE = "edgestage:session";
const FLOW_AUDIENCE = "edgestage:github-oauth";
export const REFRESH_AFTER_SECONDS = 10 * 60;
export const MAX_AGE_SECONDS = 7 * 24 * 3600;
const FLOW_TTL_SECONDS = 10 * 60;
/** Cookies stay well under the 4 KB browsers keep; past this many claims the rest are dropped (fail closed). */
const MAX_OWNERSHIP_CLAIMS = 100;
/** Session tokens whose signature this isolate has checked, per key; the oldest goes first past this many. */
const MAX_VERIFIED = 256;

const SESSION_SOURCES: readonly UserSource[] = ["github", "cloudflare-access"];

const COOKIE = { httpOnly: true, secure: true, sameSite: "Lax", path: "/" } as const;

interface SessionClaims {
  sub: string;
  own: string[];
  ent: boolean;
  src: UserSource;
  login?: string;
  email?: string;
  name?: string;
  pic?: string;
  auth_time: number;
  iat: number;
  exp: number;
}

export type SessionRead =
  | { ok: true; user: UserPrincipal; authTime: number; stale: boolean }
  | { ok: false; problem: string };

const now = () => Math.floor(Date.now() / 1000);

/** The Set-Cookie value of a fresh session for `user` (whose `expiresAt` it sets). */
export async function sessionCookie(config: IdentityConfig, user: UserPrincipal, authTime = now()): Promise<string> {
  if (!config.sessionKey) throw new Error("sessions need SESSION_SECRET");
  const iat = now();
  const exp = Math.min(iat + config.sessionTtlSeconds, authTime + MAX_AGE_SECONDS);
  const claims: Omit<SessionClaims, "iat" | "exp" | "sub"> = {
    own: user.ownershipRefs.slice(0, MAX_OWNERSHIP_CLAIMS),
    ent: user.hasEntity,
    src: user.source,
    auth_time: authTime,
    ...(user.login ? { login: user.login } : {}),
    ...(user.email ? { email: user.email } : {}),
    ...(user.displayName ? { name: user.displayName } : {}),
    ...(user.picture ? { pic: user.picture } : {}),
  };
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.ref)
    .setIssuer(ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(config.sessionKey);
  user.expiresAt = exp * 1000;
  return generateCookie(SESSION_COOKIE, jwt, { ...COOKIE, maxAge: exp - iat });
}

export const clearSessionCookie = (): string => generateCookie(SESSION_COOKIE, "", { ...COOKIE, maxAge: 0 });

export function hasSessionCookie(c: Context): boolean {
  return getCookie(c, SESSION_COOKIE) !== undefined;
}

function problemOf(err: unknown): string {
  if (err instanceof errors.JWTExpired) return "The session has expired; sign in again";
  if (err instanceof errors.JOSEError) return "The session cookie is not valid; sign in again";
  throw err;
}

const verified = new WeakMap<Uint8Array, Map<string, SessionClaims>>();

/**
 * The claims of a session token, checked once per isolate: a browser sends the same cookie with every request,
 * and the HMAC and its async crypto calls were most of what a request with a session cost (a quarter of the
 * cached-read throughput at 16 in flight). A remembered token is still refused once it expires.
 */
async function verifySession(jwt: string, key: Uint8Array): Promise<SessionClaims> {
  let known = verified.get(key);
  if (!known) verified.set(key, (known = new Map()));
  const hit = known.get(jwt);
  if (hit && hit.exp > now()) return hit;
  known.delete(jwt); // an expired one is verified again below, which refuses it with jose's own error
  const { payload } = await jwtVerify<SessionClaims>(jwt, key, { issuer: ISSUER, audience: SESSION_AUDIENCE, algorithms: ["HS256"] });
  if (known.size >= MAX_VERIFIED) known.delete(known.keys().next().value!);
  known.set(jwt, payload);
  return payload;
}

export async function readSession(c: Context, config: IdentityConfig): Promise<SessionRead | null> {
  const jwt = getCookie(c, SESSION_COOKIE);
  if (jwt === undefined) return null;
  if (!config.sessionKey) return { ok: false, problem: "Sessions are not configured on this deployment (SESSION_SECRET)" };
  let claims: SessionClaims;
  try {
    claims = await verifySession(jwt, config.sessionKey);
  } catch (err) {
    return { ok: false, problem: problemOf(err) };
  }
  // Only real sign-ins make sessions; the development guest never has one, so a "guest" claim is forged.
  if (typeof claims.sub !== "string" || !Array.isArray(claims.own) || typeof claims.auth_time !== "number" || !SESSION_SOURCES.includes(claims.src)) {
    return { ok: false, problem: "The session cookie is not valid; sign in again" };
  }
  if (claims.auth_time + MAX_AGE_SECONDS <= now()) return { ok: false, problem: "The session has expired; sign in again" };
  const user: UserPrincipal = {
    type: "user",
    ref: claims.sub,
    ownershipRefs: claims.own.filter((r): r is string => typeof r === "string"),
    hasEntity: claims.ent === true,
    source: claims.src,
    login: claims.login,
    email: claims.email,
    displayName: claims.name,
    picture: claims.pic,
    expiresAt: claims.exp * 1000,
  };
  return { ok: true, user, authTime: claims.auth_time, stale: now() - claims.iat >= REFRESH_AFTER_SECONDS };
}

export interface SignInFlow {
  state: string;
  verifier: string;
  returnTo: string;
}

export async function flowCookie(config: IdentityConfig, flow: SignInFlow): Promise<string> {
  if (!config.sessionKey) throw new Error("sessions need SESSION_SECRET");
  const jwt = await new SignJWT({ ...flow })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setIssuer(ISSUER)
    .setAudience(FLOW_AUDIENCE)
    .setIssuedAt()
    .setExpirationTime(now() + FLOW_TTL_SECONDS)
    .sign(config.sessionKey);
  return generateCookie(FLOW_COOKIE, jwt, { ...COOKIE, maxAge: FLOW_TTL_SECONDS });
}

export const clearFlowCookie = (): string => generateCookie(FLOW_COOKIE, "", { ...COOKIE, maxAge: 0 });

/** The pending sign-in this browser started, or null (the caller clears the cookie: it is good for one try). */
export async function readFlow(c: Context, config: IdentityConfig): Promise<SignInFlow | null> {
  const jwt = getCookie(c, FLOW_COOKIE);
  if (jwt === undefined || !config.sessionKey) return null;
  try {
    const { payload } = await jwtVerify<SignInFlow>(jwt, config.sessionKey, { issuer: ISSUER, audience: FLOW_AUDIENCE, algorithms: ["HS256"] });
    return typeof payload.state === "string" && typeof payload.verifier === "string" && typeof payload.returnTo === "string" ? payload : null;
  } catch (err) {
    problemOf(err);
    return null;
  }
}
