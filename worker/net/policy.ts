/**
 * The outbound-fetch policy: what the worker may request, built once from the environment.
 * - GitHub REST calls go to the configured API origin (GITHUB_API_URL) and may only be redirected within
 *   it. The configuration is trusted, so a local fake GitHub on 127.0.0.1 is fine as the API host.
 * - Catalog-driven reads (URL locations, Location targets and placeholders on hosts other than GitHub) may
 *   only reach http(s) hosts listed in CATALOG_READ_ALLOW, never with userinfo, never `localhost` or an IP
 *   literal outside public unicast space (in any notation), whatever the list says. Every redirect hop is
 *   checked again by the same rules.
 * - Proxy calls (worker/proxy) reach their endpoint's configured target and nothing else: the same origin,
 *   a path under the target's base path, no userinfo, and (unless the endpoint is marked `internal`) https
 *   on a host that is neither `localhost` nor a non-public IP literal. Redirects are never followed; the
 *   proxy rewrites a 3xx that stays under the target and refuses any other.
 * All have a timeout and a streamed size cap (worker/net/fetch.ts).
 */
import { refusedHost } from "./address";
import { OutboundRefusedError } from "./errors";
import { guardedFetch, type OutboundResponse } from "./fetch";
import { hostAllowed, parseHostList } from "./host-list";
import { MAX_YAML_BYTES } from "../catalog/parse-yaml";

export interface OutboundInit {
  method?: string;
  headers?: Record<string, string>;
  body?: string;
  timeoutMs?: number;
  maxBytes?: number;
}

export interface OutboundPolicy {
  /** Parses a catalog-driven URL and checks it; throws OutboundRefusedError naming the rule. */
  checkCatalogUrl(url: string | URL): URL;
  /** A read on behalf of catalog data; sends no credentials. */
  fetchCatalog(url: string, init?: OutboundInit): Promise<OutboundResponse>;
  /** A call to the GitHub REST API. */
  fetchGithub(url: string, init?: OutboundInit): Promise<OutboundResponse>;
}

/** A proxy endpoint's target as the proxy config resolved it: the proxy's allow-list is exactly these. */
export interface ProxyTarget {
  /** The endpoint's name, for messages. */
  name: string;
  /** The target's origin, e.g. `https://api.example.com`. */
  origin: string;
  /** The target's path without a trailing slash (`""` for the root); every request stays at or under it. */
  basePath: string;
  /** Plain http and private, loopback or `localhost` hosts allowed (a service on the operator's own network). */
  internal: boolean;
}

export interface ProxyInit {
  method: string;
  headers: Record<string, string>;
  body?: Uint8Array;
  timeoutMs: number;
  maxBytes: number;
}

/** Whether `pathname` is `basePath` itself or below it (a segment boundary, not a string prefix). */
export function underBasePath(pathname: string, basePath: string): boolean {
  return pathname === (basePath || "/") || pathname.startsWith(`${basePath}/`);
}

/** Checks a URL against a proxy target; throws OutboundRefusedError naming the rule. */
export function checkProxyUrl(target: ProxyTarget, url: URL): URL {
  const refuse = (message: string, rule: string) => new OutboundRefusedError(`Proxy endpoint '${target.name}': ${message}`, rule);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && target.internal)) throw refuse(`${url.protocol} is not allowed`, "scheme-not-allowed");
  if (url.username || url.password) throw refuse("URLs with credentials (user:password@) are not requested", "userinfo");
  if (url.origin !== target.origin) throw refuse(`requests stay on ${target.origin}; refused ${url.origin}`, "proxy-origin");
  if (!underBasePath(url.pathname, target.basePath)) throw refuse(`requests stay under ${target.basePath || "/"}`, "proxy-base-path");
  if (!target.internal) {
    const address = refusedHost(url.hostname);
    if (address) throw refuse(`${url.host} is not requested: ${address} hosts are never reached`, "address-not-public");
  }
  return url;
}

/** One proxied request: checked against its target, redirects returned (never followed), capped in time and size. */
export async function fetchProxy(target: ProxyTarget, url: URL, init: ProxyInit): Promise<OutboundResponse> {
  return guardedFetch(checkProxyUrl(target, url), { ...init, maxRedirects: 0, redirects: "return" }, (hop) => void checkProxyUrl(target, hop));
}

export type OutboundEnv = { GITHUB_API_URL?: string; CATALOG_READ_ALLOW?: string };

const CATALOG_TIMEOUT_MS = 10_000;
const GITHUB_TIMEOUT_MS = 10_000;
/** Recursive trees are GitHub's largest answers: up to 7 MB of JSON. */
const GITHUB_MAX_BYTES = 16 * 1024 * 1024;
const MAX_REDIRECTS = 5;

export function githubApiUrlOf(env: OutboundEnv): string {
  const value = typeof env.GITHUB_API_URL === "string" ? env.GITHUB_API_URL.trim() : "";
  return (value || "https://api.github.com").replace(/\/+$/, "");
}

export function createOutboundPolicy(env: OutboundEnv): OutboundPolicy {
  const githubOrigin = new URL(githubApiUrlOf(env)).origin;
  const catalogHosts = parseHostList(env.CATALOG_READ_ALLOW);

  function checkCatalogUrl(input: string | URL): URL {
    let url: URL;
    try {
      url = typeof input === "string" ? new URL(input) : input;
    } catch {
      throw new OutboundRefusedError(`'${String(input).slice(0, 200)}' is not an absolute URL`, "bad-url");
    }
    if (url.protocol !== "https:" && url.protocol !== "http:") {
      throw new OutboundRefusedError(`Only http and https URLs are read, not ${url.protocol}`, "scheme-not-allowed");
    }
    if (url.username || url.password) throw new OutboundRefusedError(`URLs with credentials (user:password@) are not read`, "userinfo");
    const address = refusedHost(url.hostname);
    if (address) throw new OutboundRefusedError(`${url.host} is not read: ${address} hosts are never reached`, "address-not-public");
    if (!hostAllowed(url.host, catalogHosts)) {
      throw new OutboundRefusedError(`${url.host} is not an allowed host for catalog reads (CATALOG_READ_ALLOW)`, "host-not-allowed");
    }
    return url;
  }

  function checkGithubHop(url: URL): void {
    if (url.origin !== githubOrigin || url.username || url.password) {
      throw new OutboundRefusedError(`GitHub API calls stay on ${githubOrigin}; refused ${url.origin}`, "github-origin");
    }
  }

  return {
    checkCatalogUrl,
    fetchCatalog: async (url, init = {}) =>
      guardedFetch(
        checkCatalogUrl(url),
        { ...init, timeoutMs: init.timeoutMs ?? CATALOG_TIMEOUT_MS, maxBytes: init.maxBytes ?? MAX_YAML_BYTES, maxRedirects: MAX_REDIRECTS },
        (hop) => void checkCatalogUrl(hop),
      ),
    fetchGithub: async (url, init = {}) => {
      let parsed: URL;
      try {
        parsed = new URL(url);
      } catch {
        throw new OutboundRefusedError("GitHub API URL is not absolute", "bad-url");
      }
      return guardedFetch(
        parsed,
        { ...init, timeoutMs: init.timeoutMs ?? GITHUB_TIMEOUT_MS, maxBytes: init.maxBytes ?? GITHUB_MAX_BYTES, maxRedirects: MAX_REDIRECTS },
        checkGithubHop,
      );
    },
  };
}
