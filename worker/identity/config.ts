/**
 * Identity settings from the environment, checked once per environment object. A setting that would open
 * the deployment (the development guest outside development, a known example secret, a malformed policy)
 * is a config problem: the worker then refuses every API request (guard.ts) instead of running open.
 */
import { readGithubConfig } from "../github/config";
import { parsePolicy, type Policy } from "./policy";

export interface GithubOAuthConfig {
  clientId: string;
  clientSecret: string;
  authorizeUrl: string;
  tokenUrl: string;
  /** REST base the signed-in user is read from (`GET /user`). */
  apiUrl: string;
}

export interface IdentityConfig {
  development: boolean;
  /** HS256 key for session and sign-in-flow cookies; null when none is configured (sessions are off). */
  sessionKey: Uint8Array | null;
  sessionTtlSeconds: number;
  github: GithubOAuthConfig | null;
  access: { issuer: string; certsUrl: string; audience: string } | null;
  /** The development guest's user ref; null outside development or with AUTH_GUEST=off. */
  guest: string | null;
  policy: Policy;
  /** Origins a cookie-authenticated write may come from, besides the request's own. */
  allowedOrigins: string[];
  problems: string[];
}

const DEFAULT_GUEST = "user:default/guest";
const DEFAULT_TTL_SECONDS = 8 * 3600;
/** Values from .dev.vars.example: fine on a laptop, an open door anywhere else. */
const EXAMPLE_VALUES: Record<string, string> = { ADMIN_TOKEN: "dev-admin-token", GITHUB_WEBHOOK_SECRET: "dev-webhook-secret" };

let devKey: Uint8Array | undefined;
/** Development without SESSION_SECRET: one random key per isolate (sessions end when the worker restarts). */
function developmentKey(): Uint8Array {
  return (devKey ??= crypto.getRandomValues(new Uint8Array(32)));
}

const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);

function accessConfig(env: Env, problems: string[]): IdentityConfig["access"] {
  const team = text(env.CF_ACCESS_TEAM_DOMAIN);
  const audience = text(env.CF_ACCESS_AUD);
  if (!team && !audience) return null;
  if (!team || !audience) {
    problems.push("Cloudflare Access needs both CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD");
    return null;
  }
  // Accept "myteam", "myteam.cloudflareaccess.com" or the full https URL.
  const host = team.replace(/^https?:\/\//, "").replace(/\/.*$/, "");
  const issuer = `https://${host.includes(".") ? host : `${host}.cloudflareaccess.com`}`;
  return { issuer, certsUrl: `${issuer}/cdn-cgi/access/certs`, audience };
}

function githubOAuthConfig(env: Env): GithubOAuthConfig | null {
  const clientId = text(env.GITHUB_OAUTH_CLIENT_ID);
  const clientSecret = text(env.GITHUB_OAUTH_CLIENT_SECRET);
  if (!clientId || !clientSecret) return null;
  const github = readGithubConfig(env);
  // GitHub Enterprise serves OAuth on its web host; GITHUB_OAUTH_URL points elsewhere (the fake GitHub).
  const base = (text(env.GITHUB_OAUTH_URL) ?? github.webUrl).replace(/\/+$/, "");
  return { clientId, clientSecret, authorizeUrl: `${base}/login/oauth/authorize`, tokenUrl: `${base}/login/oauth/access_token`, apiUrl: github.apiUrl };
}

function readConfig(env: Env): IdentityConfig {
  const problems: string[] = [];
  const development = env.EDGESTAGE_ENV === "development";

  const guestSetting = text(env.AUTH_GUEST);
  let guest: string | null = null;
  if (development) guest = guestSetting === "off" ? null : (guestSetting ?? DEFAULT_GUEST).toLowerCase();
  else if (guestSetting && guestSetting !== "off") problems.push("AUTH_GUEST signs everyone in as an admin and is only allowed with EDGESTAGE_ENV=development");
  if (!development) {
    for (const [name, example] of Object.entries(EXAMPLE_VALUES)) {
      if (text((env as unknown as Record<string, unknown>)[name]) === example) problems.push(`${name} is the example value from .dev.vars.example; set a secret of your own`);
    }
  }

  const secret = text(env.SESSION_SECRET);
  let sessionKey: Uint8Array | null = null;
  if (secret && secret.length < 32) problems.push("SESSION_SECRET must be at least 32 characters");
  else if (secret) sessionKey = new TextEncoder().encode(secret);
  else if (development) sessionKey = developmentKey();

  const ttl = Number(text(env.SESSION_TTL_SECONDS) ?? DEFAULT_TTL_SECONDS);
  let policy: Policy;
  try {
    policy = parsePolicy(text(env.PERMISSION_POLICY) ?? undefined);
  } catch (err) {
    problems.push((err as Error).message);
    policy = parsePolicy(undefined);
  }
  const allowedOrigins = (text(env.AUTH_ALLOWED_ORIGINS) ?? "").split(",").map((o) => o.trim().replace(/\/+$/, "")).filter(Boolean);
  return {
    development,
    sessionKey,
    sessionTtlSeconds: Number.isFinite(ttl) && ttl >= 300 ? Math.floor(ttl) : DEFAULT_TTL_SECONDS,
    github: githubOAuthConfig(env),
    access: accessConfig(env, problems),
    guest,
    policy,
    allowedOrigins,
    problems,
  };
}

const cache = new WeakMap<object, IdentityConfig>();

/** The identity config of this environment (parsed once per env object: the worker reuses it across requests). */
export function identityConfig(env: Env): IdentityConfig {
  let config = cache.get(env);
  if (!config) cache.set(env, (config = readConfig(env)));
  return config;
}
