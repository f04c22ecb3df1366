/**
 * Location keys of files in a GitHub repo, Backstage-compatible: a catalog file is
 * `url:<web>/<owner>/<repo>/blob/<default-branch>/<path>`; files reached through a Location entity use the
 * `/tree/` form Backstage's URL resolution produces. Each repo's registered location (its origin) is the
 * conventional root file, `.../blob/<default-branch>/catalog-info.yaml`, as GithubEntityProvider emits it.
 */
import type { GithubConfig } from "./config";

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

/** Owner, repo, ref and path of a GitHub web URL on the configured host; null for other URLs. */
export function parseRepoUrl(cfg: GithubConfig, url: string): { owner: string; name: string; ref: string; path: string } | null {
  if (!url.toLowerCase().startsWith(`${cfg.webUrl.toLowerCase()}/`)) return null;
  const [owner, name, form, ref, ...rest] = url.slice(cfg.webUrl.length + 1).split(/[?#]/)[0].split("/");
  if (!owner || !name || !ref || !["blob", "tree", "edit", "raw"].includes(form) || !rest.length) return null;
  return { owner, name, ref, path: rest.map(decodeURIComponent).join("/") };
}
