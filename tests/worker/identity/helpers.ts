/**
 * Identity test helpers: the fake GitHub (REST and OAuth) behind a fetch stub, a sign-in through the real
 * flow (start → the fake's authorize → callback), session cookies crafted with the test secret (to age,
 * expire, forge or tamper with them), and cookie parsing.
 */
import { env } from "cloudflare:test";
import { vi } from "vitest";
import { SignJWT } from "jose";
import { createFakeGithub, type FakeGithub } from "../../fake-github/app.mjs";
import { api, BASE } from "../helpers";

export const SESSION = "__Host-edgestage-session";
export const FLOW = "__Host-edgestage-oauth";

/** Answers every fetch to github.com's OAuth endpoints and to GITHUB_API_URL from one fake GitHub. */
export function installFakeGithubOAuth(hooks: { afterExchange?: (fake: FakeGithub, body: any) => void } = {}): FakeGithub {
  const apiBase = (env.GITHUB_API_URL || "https://api.github.com").replace(/\/+$/, "");
  const fake = createFakeGithub({ basePath: new URL(apiBase).pathname });
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const req = new Request(input, init);
    if (!req.url.startsWith("https://github.com/login/oauth/") && !req.url.startsWith(`${apiBase}/`)) return realFetch(input, init);
    const res = await fake.fetch(req);
    if (req.url.endsWith("/login/oauth/access_token") && hooks.afterExchange) {
      const body = await res.clone().json();
      hooks.afterExchange(fake, body);
    }
    return res;
  });
  return fake;
}

/** `name=value` of a Set-Cookie for `name` in the answer, or undefined. */
export function setCookie(res: Response, name: string): string | undefined {
  return res.headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
}

export const cookiePair = (setCookieValue: string) => setCookieValue.split(";")[0];

export interface Started {
  authorizeUrl: URL;
  flowCookie: string;
  res: Response;
}

/**
 * A client address of its own for each sign-in: sign-in is rate limited per address (AUTH_LIMITER), and
 * the limiter's counts outlive a test file.
 */
export const someAddress = () => `198.51.100.${Math.floor(Math.random() * 254) + 1}`;

export async function startSignIn(returnTo?: string, headers: Record<string, string> = {}): Promise<Started> {
  const query = returnTo === undefined ? "" : `?returnTo=${encodeURIComponent(returnTo)}`;
  const res = await api(`/api/auth/github/start${query}`, { redirect: "manual", headers: { "cf-connecting-ip": someAddress(), ...headers } }, "anonymous");
  const flow = setCookie(res, FLOW);
  return { res, authorizeUrl: new URL(res.headers.get("location") ?? "about:blank"), flowCookie: flow ? cookiePair(flow) : "" };
}

/** What the browser does at GitHub: the fake approves (or denies) and redirects back with a code. */
export async function approve(fake: FakeGithub, authorizeUrl: URL): Promise<URL> {
  const res = await fake.fetch(new Request(authorizeUrl));
  if (res.status !== 302) throw new Error(`the fake's authorize answered ${res.status}: ${await res.text()}`);
  return new URL(res.headers.get("location")!);
}

export async function callback(callbackUrl: URL, flowCookie: string, headers: Record<string, string> = {}): Promise<Response> {
  return api(`${callbackUrl.pathname}${callbackUrl.search}`, { redirect: "manual", headers: { cookie: flowCookie, "cf-connecting-ip": someAddress(), ...headers } }, "anonymous");
}

/** The whole flow as `login`; returns the session cookie (`name=value`) and the callback's answer. */
export async function signIn(fake: FakeGithub, login: string, opts: { name?: string; email?: string; returnTo?: string } = {}) {
  fake.oauth.signIn({ login, name: opts.name ?? null, email: opts.email ?? null });
  const started = await startSignIn(opts.returnTo);
  const res = await callback(await approve(fake, started.authorizeUrl), started.flowCookie);
  const session = setCookie(res, SESSION);
  return { res, session: session ? cookiePair(session) : undefined, location: res.headers.get("location") };
}

const secret = () => new TextEncoder().encode(env.SESSION_SECRET);

/** A session JWT as the worker signs them (for a person with a User entity unless `ent: false`), with any claim overridden (iat/exp in seconds). */
export async function craftSession(claims: Record<string, unknown> & { sub?: string }, opts: { key?: Uint8Array; iat?: number; exp?: number } = {}): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { sub = "user:default/crafted", ...rest } = claims;
  const jwt = await new SignJWT({ own: [sub], ent: true, src: "github", auth_time: opts.iat ?? now, ...rest })
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(sub)
    .setIssuer("edgestage")
    .setAudience("edgestage:session")
    .setIssuedAt(opts.iat ?? now)
    .setExpirationTime(opts.exp ?? now + 3600)
    .sign(opts.key ?? secret());
  return `${SESSION}=${jwt}`;
}

export const ORIGIN = { origin: BASE };
