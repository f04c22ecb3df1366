/**
 * GitHub settings from the environment: API base URL (GITHUB_API_URL, for GitHub Enterprise and the fake
 * GitHub), the web URL location keys use, credentials (a GitHub App or a token), catalog file patterns,
 * the other repositories catalog data may read (GITHUB_READ_OTHER_REPOS) and the outbound policy every
 * request goes through.
 */
import { registerGithubHost } from "../catalog/location-url";
import { createOutboundPolicy, githubApiUrlOf, type OutboundPolicy } from "../net/policy";
import { parsePatterns } from "./patterns";

export interface GithubConfig {
  /** REST base without a trailing slash, e.g. https://api.github.com or https://ghe.example.com/api/v3. */
  apiUrl: string;
  /** Web base for location keys and links, e.g. https://github.com. */
  webUrl: string;
  token: string | null;
  app: { id: string; privateKey: string } | null;
  timeoutMs: number;
  patterns: string[];
  /**
   * Repositories other than the entity's own that Location targets and URL reads may read, lower-cased
   * `owner/name` or `owner/*` (GITHUB_READ_OTHER_REPOS). Empty by default: every other repo is refused.
   */
  readOtherRepos: string[];
  outbound: OutboundPolicy;
}

const value = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);

/**
 * github.com's API lives on api.github.com; GitHub Enterprise serves it under <host>/api/v3. Anything else
 * (the fake GitHub on 127.0.0.1, a proxy) keeps github.com keys, so entities look as they will in production.
 */
export function deriveWebUrl(apiUrl: string): string {
  try {
    const url = new URL(apiUrl);
    if (url.hostname === "api.github.com") return "https://github.com";
    if (/\/api\/v3\/?$/.test(url.pathname)) return url.origin;
  } catch {
    // fall through to github.com
  }
  return "https://github.com";
}

export function readGithubConfig(env: Env): GithubConfig {
  const apiUrl = githubApiUrlOf(env);
  const webUrl = (value(env.GITHUB_WEB_URL) ?? deriveWebUrl(apiUrl)).replace(/\/+$/, "");
  const host = new URL(webUrl).hostname;
  if (host !== "github.com") registerGithubHost(host);
  const appId = value(env.GITHUB_APP_ID);
  const privateKey = value(env.GITHUB_APP_PRIVATE_KEY);
  const timeout = Number(value(env.GITHUB_TIMEOUT_MS) ?? "");
  return {
    apiUrl,
    webUrl,
    token: value(env.GITHUB_TOKEN),
    // Secrets set through .dev.vars or a CI variable often carry the PEM's newlines as "\n".
    app: appId && privateKey ? { id: appId, privateKey: privateKey.replace(/\\n/g, "\n") } : null,
    timeoutMs: Number.isFinite(timeout) && timeout > 0 ? timeout : 10_000,
    patterns: parsePatterns(value(env.GITHUB_CATALOG_PATTERNS)),
    readOtherRepos: (value(env.GITHUB_READ_OTHER_REPOS) ?? "")
      .split(",")
      .map((s) => s.trim().toLowerCase())
      .filter((s) => /^[^/\s]+\/[^/\s]+$/.test(s)),
    outbound: createOutboundPolicy(env),
  };
}
