/**
 * Location keys of files in a GitHub repo, Backstage-compatible: a catalog file is
 * `url:<web>/<owner>/<repo>/blob/<default-branch>/<path>`; files reached through a Location entity use the
 * `/tree/` form Backstage's URL resolution produces. Each repo's registered location (its origin) is the
 * conventional root file, `.../blob/<default-branch>/catalog-info.yaml`, as GithubEntityProvider emits it.
 */
import type { GithubConfig } from "./config";
import { assertGitRef, assertRepoName, decodePathSegments } from "../net/segments";

export interface RepoCoords {
  owner: string;
  name: string;
  defaultBranch: string;
}

export const repoWebUrl = (cfg: GithubConfig, r: Pick<RepoCoords, "owner" | "name">): string => `${cfg.webUrl}/${r.owner}/${r.name}`;

export function fileUrl(cfg: GithubConfig, r: RepoCoords, path: string, form: "blob" | "tree" = "blob"): string {
  return `${repoWebUrl(cfg, r)}/${form}/${r.defaultBranch}/${path}`;
}

export const fileKey = (cfg: GithubConfig, r: RepoCoords, path: string, form: "blob" | "tree" = "blob"): string => `url:${fileUrl(cfg, r, path, form)}`;

export const originKeyOf = (cfg: GithubConfig, r: RepoCoords): string => fileKey(cfg, r, "catalog-info.yaml");

/** The repo path a location key points at, when it is a file of this repo on its default branch. */
export function pathOfKey(cfg: GithubConfig, r: RepoCoords, key: string): { path: string; form: "blob" | "tree" } | null {
  const base = `url:${repoWebUrl(cfg, r)}/`;
  if (key.slice(0, base.length).toLowerCase() !== base.toLowerCase()) return null;
  const rest = key.slice(base.length);
  for (const form of ["blob", "tree"] as const) {
    const prefix = `${form}/${r.defaultBranch}/`;
    if (rest.startsWith(prefix) && rest.length > prefix.length) return { path: rest.slice(prefix.length), form };
  }
  return null;
}

export interface RepoFileUrl {
  owner: string;
  name: string;
  ref: string;
  /** Decoded repo path, `/`-separated, every segment checked. */
  path: string;
}

const RAW_HOST = "https://raw.githubusercontent.com/";

/**
 * Owner, repo, ref and path of a GitHub file URL on the configured host (`<web>/<owner>/<repo>/<blob|tree|
 * edit|raw>/<ref>/<path>`; on github.com also `raw.githubusercontent.com/<owner>/<repo>/<ref>/<path>`);
 * null for URLs that are not on it. Each segment is decoded once and checked (worker/net/segments.ts), and
 * the owner/name returned are exactly what the API call uses, so a "same repo" decision made on them holds
 * for the request: an unsafe URL on the host throws OutboundRefusedError instead of parsing.
 */
export function parseRepoUrl(cfg: Pick<GithubConfig, "webUrl">, url: string): RepoFileUrl | null {
  const web = `${cfg.webUrl.toLowerCase()}/`;
  const raw = cfg.webUrl.toLowerCase() === "https://github.com" && url.slice(0, RAW_HOST.length).toLowerCase() === RAW_HOST;
  if (url.slice(0, web.length).toLowerCase() !== web && !raw) return null;
  const rest = url.slice(raw ? RAW_HOST.length : web.length).split(/[?#]/)[0];
  const segments = decodePathSegments(rest);
  const [owner, name, ...more] = segments;
  const [form, ref, ...path] = raw ? ["raw", ...more] : more;
  if (!owner || !name || !ref || !["blob", "tree", "edit", "raw"].includes(form) || !path.length) return null;
  assertRepoName(owner, name);
  assertGitRef(ref);
  return { owner, name, ref, path: path.join("/") };
}

/** Whether GITHUB_READ_OTHER_REPOS lets catalog data read `owner/name`. */
export function mayReadOtherRepo(cfg: Pick<GithubConfig, "readOtherRepos">, owner: string, name: string): boolean {
  const full = `${owner}/${name}`.toLowerCase();
  const any = `${owner.toLowerCase()}/*`;
  return cfg.readOtherRepos.some((p) => p === full || p === any);
}

export const sameRepo = (a: Pick<RepoCoords, "owner" | "name">, b: Pick<RepoCoords, "owner" | "name">): boolean =>
  a.owner.toLowerCase() === b.owner.toLowerCase() && a.name.toLowerCase() === b.name.toLowerCase();
