/**
 * Location refs and target resolution with Backstage's GitHub integration semantics: relative targets resolve
 * against the referring file, GitHub results use `/tree/`, `/x` means the repository root. Also the default
 * location annotations and the synthetic `generated-<sha1>` Location entity for a registered location.
 */
import type { Entity, LocationSpec } from "./types";
import { parseRepoUrl, type RepoFileUrl } from "../github/keys";
import { sha1Hex } from "./hash";
import { ModelError } from "./model-error";

export const ANNOTATION_LOCATION = "backstage.io/managed-by-location";
export const ANNOTATION_ORIGIN_LOCATION = "backstage.io/managed-by-origin-location";
export const ANNOTATION_VIEW_URL = "backstage.io/view-url";
export const ANNOTATION_EDIT_URL = "backstage.io/edit-url";
export const ANNOTATION_SOURCE_LOCATION = "backstage.io/source-location";

/** Hosts treated as GitHub (the only SCM integration this catalog has). */
const githubHosts = new Set(["github.com"]);
export const GITHUB_HOSTS: ReadonlySet<string> = githubHosts;

/** Adds a GitHub Enterprise host (from GITHUB_API_URL / GITHUB_WEB_URL), so its URLs get GitHub's semantics. */
export function registerGithubHost(host: string): void {
  githubHosts.add(host.toLowerCase());
}

const GITHUB_TYPE = /\/\/([^/]+)\/([^/]+)\/([^/]+)\/(blob|tree|edit)\//;
const COMMIT_SHA = /\b[0-9a-f]{40,}\b/;

export function stringifyLocationRef(location: LocationSpec): string {
  return `${location.type}:${location.target}`;
}

/** Splits `<type>:<target>` at the first colon, rejecting the mistakes Backstage rejects. */
export function parseLocationRef(ref: string): LocationSpec {
  const split = typeof ref === "string" ? ref.indexOf(":") : -1;
  const type = split < 0 ? "" : ref.slice(0, split).trim();
  const target = split < 0 ? "" : ref.slice(split + 1).trim();
  if (!type || !target) {
    throw new ModelError("InputError", `Unable to parse location ref '${ref}', expected '<type>:<target>', e.g. 'url:https://host/path'`);
  }
  if (type === "http" || type === "https") {
    throw new ModelError("InputError", `Invalid location ref '${ref}', please prefix it with 'url:', e.g. 'url:${ref}'`);
  }
  if (/^\s*javascript:/i.test(target)) {
    throw new ModelError("InputError", `Invalid location ref '${ref}', javascript: targets are not allowed`);
  }
  return { type, target };
}

export function isGithubUrl(url: string): boolean {
  try {
    return GITHUB_HOSTS.has(new URL(url).hostname.toLowerCase());
  } catch {
    return false;
  }
}

/** Hosts serving GitHub content besides the web hosts: any repository's files, so never "plain web URLs". */
export function isGithubContentHost(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.+$/, "");
  return GITHUB_HOSTS.has(host) || host === "api.github.com" || host === "githubusercontent.com" || host.endsWith(".githubusercontent.com");
}

/**
 * Owner, repo, ref and path of a file URL on a GitHub host, decoded and checked exactly as the GitHub
 * reader decodes them for its API call (github/keys.ts parseRepoUrl), so a rule decided on the result
 * holds for the request. Null when the URL is not on a GitHub web host or not in file form; throws
 * OutboundRefusedError when it is on one but carries dot segments, encoded separators and the like.
 */
export function parseGithubFileUrl(url: string): RepoFileUrl | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  const host = parsed.hostname.toLowerCase();
  if (host === "raw.githubusercontent.com") return parseRepoUrl({ webUrl: "https://github.com" }, url);
  if (!GITHUB_HOSTS.has(host)) return null;
  return parseRepoUrl({ webUrl: `https://${parsed.host}` }, url);
}

/** Rewrites `/blob/`, `/tree/` or `/edit/` after `//host/owner/repo/` (GitHub's replaceGithubUrlType). */
export function replaceGithubUrlType(url: string, type: "blob" | "tree" | "edit"): string {
  return url.replace(GITHUB_TYPE, (_m, host: string, owner: string, repo: string) => `//${host}/${owner}/${repo}/${type}/`);
}

/** Parts of a GitHub file/folder URL: `https://github.com/<owner>/<repo>/<blob|tree|edit>/<ref>/<path>`. */
export function parseGithubUrl(url: string): { owner: string; repo: string; ref?: string; path: string } | null {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return null;
  }
  if (!GITHUB_HOSTS.has(parsed.hostname.toLowerCase())) return null;
  const [owner, repo, type, ref, ...rest] = parsed.pathname.split("/").slice(1);
  if (!owner || !repo) return null;
  if (!type || !["blob", "tree", "edit"].includes(type) || !ref) return { owner, repo: repo.replace(/\.git$/, ""), path: "" };
  return { owner, repo, ref, path: rest.join("/") };
}

/**
 * Resolves `url` against `base` as the SCM integration does: absolute URLs are kept, `/x` is relative to the
 * repository root, anything else is relative to the base file. GitHub results always use `/tree/` (GitHub
 * redirects tree to blob for files). Throws when no URL can be formed.
 */
export function resolveUrl(url: string, base: string): string {
  const github = isGithubUrl(base);
  let resolved: string;
  if (isAbsoluteUrl(url)) {
    resolved = url;
  } else {
    const baseUrl = new URL(base);
    let updated: URL;
    const parts = github ? parseGithubUrl(base) : null;
    if (url.startsWith("/") && parts?.ref) {
      const root = `/${parts.owner}/${parts.repo}/tree/${parts.ref}`;
      updated = new URL(baseUrl.href);
      updated.pathname = `${root}${url}`;
    } else {
      updated = new URL(url, baseUrl);
    }
    updated.search = baseUrl.search;
    resolved = updated.toString();
  }
  return github ? replaceGithubUrlType(resolved, "tree") : resolved;
}

function isAbsoluteUrl(value: string): boolean {
  try {
    new URL(value);
    return true;
  } catch {
    return false;
  }
}

/**
 * A Location entity's target resolved against the file it was read from (LocationEntityProcessor): only when
 * the types match; `file` targets starting with `.` join the base file's folder; other targets are unchanged.
 */
export function resolveLocationTarget(base: LocationSpec, type: string, target: string): string {
  if (base.type !== type) return target;
  try {
    if (type === "file") return target.startsWith(".") ? joinPath(dirname(base.target), target) : target;
    if (type === "url") return resolveUrl(target, base.target);
  } catch {
    // Backstage falls back to the raw target when it cannot be resolved.
  }
  return target;
}

/**
 * Annotation defaults for an entity read from `location` (AnnotateLocationEntityProcessor): url locations
 * only; edit-url and source-location only for GitHub, edit-url not for URLs pinned to a commit SHA.
 */
export function defaultLocationAnnotations(location: LocationSpec): Record<string, string> {
  if (location.type !== "url") return {};
  const out: Record<string, string> = { [ANNOTATION_VIEW_URL]: location.target };
  if (!isGithubUrl(location.target)) return out;
  if (!COMMIT_SHA.test(location.target)) out[ANNOTATION_EDIT_URL] = replaceGithubUrlType(location.target, "edit");
  try {
    out[ANNOTATION_SOURCE_LOCATION] = `url:${resolveUrl("./", location.target)}`;
  } catch {
    // no source location when the URL cannot be resolved
  }
  return out;
}

/** `generated-<sha1hex("type:target")>`, the name Backstage gives the Location entity of a registered location. */
export async function generatedLocationName(type: string, target: string): Promise<string> {
  return `generated-${await sha1Hex(`${type}:${target}`)}`;
}

/** The synthetic Location entity standing for a registered (root) location. */
export async function generatedLocationEntity(spec: LocationSpec & { presence?: "required" | "optional" }): Promise<Entity> {
  const ref = stringifyLocationRef(spec);
  return {
    apiVersion: "backstage.io/v1alpha1",
    kind: "Location",
    metadata: {
      name: await generatedLocationName(spec.type, spec.target),
      namespace: "default",
      annotations: { [ANNOTATION_LOCATION]: ref, [ANNOTATION_ORIGIN_LOCATION]: ref },
    },
    spec: { type: spec.type, target: spec.target, ...(spec.presence ? { presence: spec.presence } : {}) },
  };
}

/* POSIX path helpers (node:path is not available to pure worker code). */

export function dirname(path: string): string {
  const i = path.lastIndexOf("/");
  if (i < 0) return ".";
  return i === 0 ? "/" : path.slice(0, i);
}

export function joinPath(...parts: string[]): string {
  const joined = parts.filter((p) => p !== "").join("/");
  const absolute = joined.startsWith("/");
  const out: string[] = [];
  for (const segment of joined.split("/")) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length > 0 && out[out.length - 1] !== "..") out.pop();
      else if (!absolute) out.push("..");
    } else {
      out.push(segment);
    }
  }
  const body = out.join("/");
  const trailing = joined.endsWith("/") && body ? "/" : "";
  return (absolute ? "/" : "") + (body || (absolute ? "" : ".")) + trailing;
}
