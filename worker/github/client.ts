/**
 * The GitHub REST client: base URL from the config, auth (a GitHub App installation token, else a token,
 * else anonymous), per-request timeout and failure classification. A transient failure (5xx, timeout,
 * network error, a body that is cut off or does not parse) is retried twice within the job, then thrown as
 * a RetryableError so the queue retries the job later; rate limits (403/429 with rate-limit headers) are
 * thrown at once with the delay GitHub asks for. Other 4xx answers are GithubApiError; 404 is a value.
 * Every request goes through the outbound policy (config.outbound): API origin only, redirects followed by
 * hand within it, a timeout and a size cap; an answer over the cap is a permanent TooLargeError.
 */
import type { GithubConfig } from "./config";
import { appJwt, cacheInstallationToken, cachedInstallationToken, forgetInstallationToken } from "./app-auth";
import { GithubApiError, RetryableError } from "./errors";
import type { OutboundResponse } from "../net/fetch";
import { PermanentReadError } from "../net/errors";

export type Auth = "default" | "app";

export interface RequestOptions {
  method?: string;
  accept?: string;
  body?: unknown;
  /** "app" signs with the App JWT (installation lookups); default uses the installation token or token. */
  auth?: Auth;
}

export interface GithubResponse<T> {
  status: number;
  data: T | null;
  headers: Headers;
}

export interface GithubClient {
  readonly config: GithubConfig;
  readonly installationId: number | null;
  /** JSON answer; `data` is null for 404. */
  json<T>(path: string, options?: RequestOptions): Promise<GithubResponse<T>>;
  /** Text answer (sha media type); `data` is null for 404. */
  text(path: string, options?: RequestOptions): Promise<GithubResponse<string>>;
  /** The answer's bytes (raw file contents); `data` is null for 404. */
  bytes(path: string, options?: RequestOptions): Promise<GithubResponse<Uint8Array>>;
  /** A client for another installation (or none), sharing the config. */
  withInstallation(id: number | null): GithubClient;
}

const INLINE_ATTEMPTS = 3;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The wait GitHub asks for on a rate-limited answer, or null when the answer is not a rate limit. */
export function rateLimitDelay(res: Pick<Response, "status" | "headers">, now = Date.now()): number | null {
  if (res.status !== 403 && res.status !== 429) return null;
  const retryAfter = Number(res.headers.get("retry-after"));
  if (res.headers.has("retry-after") && Number.isFinite(retryAfter)) return Math.max(1, Math.ceil(retryAfter));
  if (res.headers.get("x-ratelimit-remaining") === "0") {
    const reset = Number(res.headers.get("x-ratelimit-reset"));
    return Number.isFinite(reset) ? Math.min(3600, Math.max(1, Math.ceil(reset - now / 1000))) : 60;
  }
  // A 429 without headers is still a rate limit; a bare 403 is a permission problem.
  return res.status === 429 ? 60 : null;
}

/** GitHub's own `message` field (the API host is trusted); never more of the body than that. */
async function errorMessage(res: OutboundResponse): Promise<string> {
  try {
    const body = await res.json<{ message?: unknown }>();
    return typeof body.message === "string" ? body.message.slice(0, 300) : `HTTP ${res.status}`;
  } catch {
    return `HTTP ${res.status}`;
  }
}

export function createGithubClient(config: GithubConfig, installationId: number | null = null): GithubClient {
  const tokenKey = `${config.apiUrl}|${config.app?.id}|${installationId}`;

  async function authorization(auth: Auth): Promise<string | null> {
    if (config.app && auth === "app") return `Bearer ${await appJwt(config.app.id, config.app.privateKey)}`;
    if (config.app && installationId) {
      const cached = cachedInstallationToken(tokenKey);
      if (cached) return `Bearer ${cached}`;
      const res = await send(`/app/installations/${installationId}/access_tokens`, { method: "POST", auth: "app" }, async (r) => r.json());
      if (res.status === 404 || !res.data) throw new GithubApiError(404, `GitHub App installation ${installationId} not found`);
      const { token, expires_at } = res.data as { token: string; expires_at: string };
      cacheInstallationToken(tokenKey, token, expires_at);
      return `Bearer ${token}`;
    }
    return config.token ? `Bearer ${config.token}` : null;
  }

  /** One request with inline retries; `read` consumes the body inside the retry loop, so a cut-off body retries too. */
  async function send<T>(path: string, options: RequestOptions, read: (res: OutboundResponse) => Promise<T>): Promise<GithubResponse<T>> {
    const url = `${config.apiUrl}${path}`;
    let last: RetryableError | null = null;
    for (let attempt = 0; attempt < INLINE_ATTEMPTS; attempt++) {
      if (attempt > 0) await sleep(50 * 4 ** (attempt - 1));
      const headers: Record<string, string> = {
        accept: options.accept ?? "application/vnd.github+json",
        "x-github-api-version": "2022-11-28",
        "user-agent": "edgestage",
      };
      const auth = path.startsWith("/app/installations/") ? `Bearer ${await appJwt(config.app!.id, config.app!.privateKey)}` : await authorization(options.auth ?? "default");
      if (auth) headers.authorization = auth;
      if (options.body !== undefined) headers["content-type"] = "application/json";
      let res: OutboundResponse;
      try {
        res = await config.outbound.fetchGithub(url, {
          method: options.method ?? "GET",
          headers,
          body: options.body === undefined ? undefined : JSON.stringify(options.body),
          timeoutMs: config.timeoutMs,
        });
      } catch (err) {
        if (!(err instanceof RetryableError)) throw err;
        last = new RetryableError(`GitHub on ${path}: ${err.message}`, err.delaySeconds);
        continue;
      }
      if (res.status === 404) {
        await res.discard();
        return { status: 404, data: null, headers: res.headers };
      }
      const rateLimited = rateLimitDelay(res);
      if (rateLimited !== null) {
        await res.discard();
        throw new RetryableError(`GitHub rate limit on ${path} (HTTP ${res.status}); retry in ${rateLimited} s`, rateLimited, false);
      }
      if (res.status >= 500) {
        await res.discard();
        last = new RetryableError(`GitHub answered HTTP ${res.status} on ${path}`, 10);
        continue;
      }
      if (res.status === 401 && config.app && installationId) forgetInstallationToken(tokenKey);
      if (res.status >= 300) throw new GithubApiError(res.status, `GitHub answered HTTP ${res.status} on ${path}: ${await errorMessage(res)}`);
      try {
        return { status: res.status, data: await read(res), headers: res.headers };
      } catch (err) {
        // Over the size cap (or not UTF-8) is the same on every attempt.
        if (err instanceof PermanentReadError) throw err;
        last = new RetryableError(`GitHub's answer on ${path} was cut off or malformed: ${(err as Error).message}`, 5);
      }
    }
    throw last!;
  }

  const client: GithubClient = {
    config,
    installationId,
    json: <T>(path: string, options: RequestOptions = {}) => send<T>(path, options, (res) => res.json<T>()),
    text: (path: string, options: RequestOptions = {}) => send(path, options, (res) => res.text()),
    bytes: (path: string, options: RequestOptions = {}) => send(path, options, (res) => res.bytes()),
    withInstallation: (id: number | null) => (id === installationId ? client : createGithubClient(config, id)),
  };
  return client;
}
