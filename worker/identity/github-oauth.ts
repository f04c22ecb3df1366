/**
 * GET /api/auth/github/start and /api/auth/github/callback: sign-in with GitHub, the OAuth
 * authorization-code flow with `state` and PKCE (S256), through arctic's OAuth2Client. The state and the
 * code verifier wait in a signed, HttpOnly, ten-minute cookie; the callback checks the state, exchanges
 * the code with the verifier, reads `GET /user` with the access token, resolves the person in the catalog
 * and sets the session. The access token is used once and never stored or sent to the browser.
 *
 * Failures end on the portal's sign-in page (`/sign-in?error=<code>`) rather than as JSON in the tab.
 */
import { Hono, type Context } from "hono";
import { CodeChallengeMethod, generateCodeVerifier, generateState, OAuth2Client, OAuth2RequestError } from "arctic";
import type { AppEnv } from "../env";
import { ApiError } from "../errors";
import { audit } from "./audit";
import { resolvePerson, userRefFor } from "./authenticate";
import { identityConfig, type GithubOAuthConfig } from "./config";
import { ANONYMOUS } from "./principal";
import { clientAddress, enforceLimit } from "./rate-limit";
import { clearFlowCookie, flowCookie, readFlow, sessionCookie } from "./session";
import { sameSecret } from "./tokens";

const SCOPES = ["read:user"];
const GITHUB_TIMEOUT_MS = 10_000;

/** Only a path on this portal: never `//host`, a scheme, or a backslash trick, so the flow cannot bounce a user elsewhere. */
export function safeReturnTo(value: string | undefined): string {
  if (!value || !value.startsWith("/") || value.startsWith("//") || /[\\\s]/.test(value) || value.startsWith("/api/")) return "/";
  return value.slice(0, 2000);
}

function client(c: Context, github: GithubOAuthConfig): OAuth2Client {
  return new OAuth2Client(github.clientId, github.clientSecret, `${new URL(c.req.url).origin}/api/auth/github/callback`);
}

interface GithubUser {
  login: string;
  name?: string | null;
  email?: string | null;
  avatar_url?: string | null;
}

type Step<T> = { ok: true; value: T } | { ok: false; code: string; detail: string };

async function exchange(c: Context, github: GithubOAuthConfig, code: string, verifier: string): Promise<Step<string>> {
  try {
    const tokens = await Promise.race([
      client(c, github).validateAuthorizationCode(github.tokenUrl, code, verifier),
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no answer within ${GITHUB_TIMEOUT_MS} ms`)), GITHUB_TIMEOUT_MS)),
    ]);
    // GitHub reports a bad, used or expired code, or a verifier that does not match, as a 200 with `error`.
    const data = tokens.data as { error?: string; error_description?: string; access_token?: string };
    if (data.error) return { ok: false, code: "exchange_failed", detail: `${data.error}: ${data.error_description ?? ""}`.trim() };
    return { ok: true, value: tokens.accessToken() };
  } catch (err) {
    const detail = err instanceof OAuth2RequestError ? `${err.code}: ${err.description ?? ""}` : (err as Error).message;
    return { ok: false, code: "exchange_failed", detail };
  }
}

async function readUser(github: GithubOAuthConfig, accessToken: string): Promise<Step<GithubUser>> {
  let res: Response;
  try {
    res = await fetch(`${github.apiUrl}/user`, {
      headers: { authorization: `Bearer ${accessToken}`, accept: "application/vnd.github+json", "user-agent": "edgestage", "x-github-api-version": "2022-11-28" },
      signal: AbortSignal.timeout(GITHUB_TIMEOUT_MS),
    });
  } catch (err) {
    return { ok: false, code: "github_unavailable", detail: (err as Error).message };
  }
  if (!res.ok) {
    await res.body?.cancel();
    return { ok: false, code: res.status === 401 ? "token_revoked" : "github_unavailable", detail: `GET /user answered ${res.status}` };
  }
  const user = (await res.json().catch(() => null)) as GithubUser | null;
  if (!user || typeof user.login !== "string" || !user.login) return { ok: false, code: "github_unavailable", detail: "GET /user named no login" };
  return { ok: true, value: user };
}

function fail(c: Context<AppEnv>, code: string, detail: string, returnTo = "/"): Response {
  audit(c, ANONYMOUS, { action: "auth.sign-in.failed", detail: { provider: "github", code, reason: detail.slice(0, 500) } });
  c.header("set-cookie", clearFlowCookie(), { append: true });
  const to = new URL("/sign-in", c.req.url);
  to.searchParams.set("error", code);
  if (returnTo !== "/") to.searchParams.set("returnTo", returnTo);
  return c.redirect(`${to.pathname}${to.search}`, 302);
}

function requireGithub(c: Context<AppEnv>) {
  const config = identityConfig(c.env);
  if (!config.github) throw new ApiError("ServiceUnavailableError", "GitHub sign-in is not configured: set GITHUB_OAUTH_CLIENT_ID and GITHUB_OAUTH_CLIENT_SECRET");
  if (!config.sessionKey) throw new ApiError("ServiceUnavailableError", "Sign-in needs SESSION_SECRET");
  return { config, github: config.github };
}

export const githubSignInRoutes = new Hono<AppEnv>()
  .get("/github/start", async (c) => {
    const { config, github } = requireGithub(c);
    await enforceLimit(c, "AUTH_LIMITER", clientAddress(c), "sign-in attempts");
    const state = generateState();
    const verifier = generateCodeVerifier();
    const url = client(c, github).createAuthorizationURLWithPKCE(github.authorizeUrl, state, CodeChallengeMethod.S256, verifier, SCOPES);
    c.header("set-cookie", await flowCookie(config, { state, verifier, returnTo: safeReturnTo(c.req.query("returnTo")) }), { append: true });
    return c.redirect(url.toString(), 302);
  })

  .get("/github/callback", async (c) => {
    const { config, github } = requireGithub(c);
    await enforceLimit(c, "AUTH_LIMITER", clientAddress(c), "sign-in attempts");
    const flow = await readFlow(c, config);
    if (!flow) return fail(c, "flow_expired", "no sign-in in progress in this browser (missing or expired flow cookie)");
    const { code, state, error } = c.req.query();
    if (error) return fail(c, error === "access_denied" ? "access_denied" : "github_error", `GitHub answered ${error}`, flow.returnTo);
    if (!state || !sameSecret(state, flow.state)) return fail(c, "state_mismatch", "the state GitHub returned is not the one this browser was given", flow.returnTo);
    if (!code) return fail(c, "exchange_failed", "GitHub returned no code", flow.returnTo);

    const token = await exchange(c, github, code, flow.verifier);
    if (!token.ok) return fail(c, token.code, token.detail, flow.returnTo);
    const user = await readUser(github, token.value);
    if (!user.ok) return fail(c, user.code, user.detail, flow.returnTo);

    const { login, name, email, avatar_url } = user.value;
    const person = await resolvePerson(c.env.DB, {
      source: "github",
      login,
      ...(email ? { email } : {}),
      ...(name ? { displayName: name } : {}),
      ...(avatar_url ? { picture: avatar_url } : {}),
      fallbackRef: userRefFor(login),
    });
    c.header("set-cookie", clearFlowCookie(), { append: true });
    c.header("set-cookie", await sessionCookie(config, person), { append: true });
    audit(c, person, { action: "auth.sign-in", target: person.ref, detail: { provider: "github", login, hasEntity: person.hasEntity } });
    return c.redirect(flow.returnTo, 302);
  });
