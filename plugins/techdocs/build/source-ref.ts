/**
 * Where an entity's docs live, from `backstage.io/techdocs-ref`: `dir:<path>` is relative to the catalog file
 * the entity came from (`backstage.io/managed-by-location`), `url:<github tree url>` names the folder directly.
 * The result is a GitHub folder (repo, ref, path) the builder lists and reads, or a local folder (a `file:`
 * location from `npm run catalog:load`), whose files only the loader can send.
 */
import { resolveInside } from "./paths";

export const TECHDOCS_REF = "backstage.io/techdocs-ref";
const MANAGED_BY = "backstage.io/managed-by-location";

export type DocsSource =
  | { type: "github"; host: string; owner: string; repo: string; ref: string; path: string }
  | { type: "local"; path: string };

export type SourceResolution = { ok: true; source: DocsSource } | { ok: false; message: string };

interface EntityLike {
  metadata?: { annotations?: Record<string, unknown> };
}

const GITHUB_URL = /^https:\/\/([^/]+)\/([^/]+)\/([^/]+)\/(tree|blob)\/([^/]+)(?:\/(.*))?$/;

function githubFolder(url: string): { host: string; owner: string; repo: string; ref: string; path: string; kind: string } | null {
  const m = GITHUB_URL.exec(url.replace(/[?#].*$/, ""));
  if (!m) return null;
  let path: string | null;
  try {
    path = resolveInside("", decodeURIComponent(m[6] ?? ""));
  } catch {
    return null;
  }
  if (path === null) return null;
  return { host: m[1]!.toLowerCase(), owner: m[2]!, repo: m[3]!, kind: m[4]!, ref: decodeURIComponent(m[5]!), path };
}

export function annotationOf(entity: EntityLike): string | null {
  const v = entity.metadata?.annotations?.[TECHDOCS_REF];
  return typeof v === "string" && v.trim() ? v.trim() : null;
}

export function resolveDocsSource(entity: EntityLike): SourceResolution {
  const ref = annotationOf(entity);
  if (!ref) return { ok: false, message: `no ${TECHDOCS_REF} annotation` };
  const colon = ref.indexOf(":");
  const type = colon < 0 ? "" : ref.slice(0, colon);
  const target = colon < 0 ? "" : ref.slice(colon + 1).trim();
  if (type === "url") {
    const f = githubFolder(target);
    if (!f || f.kind !== "tree") return { ok: false, message: `${TECHDOCS_REF} url: must be a GitHub folder URL (https://github.com/<owner>/<repo>/tree/<branch>/<path>), got '${target.slice(0, 200)}'` };
    return { ok: true, source: { type: "github", host: f.host, owner: f.owner, repo: f.repo, ref: f.ref, path: f.path } };
  }
  if (type !== "dir") return { ok: false, message: `${TECHDOCS_REF} must be 'dir:<path>' or 'url:<github tree url>', got '${ref.slice(0, 200)}'` };
  const location = entity.metadata?.annotations?.[MANAGED_BY];
  if (typeof location !== "string") return { ok: false, message: `${TECHDOCS_REF} dir: needs the entity's ${MANAGED_BY} to resolve against` };
  if (location.startsWith("url:")) {
    const f = githubFolder(location.slice(4));
    if (!f) return { ok: false, message: `${TECHDOCS_REF} dir: resolves only against GitHub locations; this entity comes from ${location.slice(0, 200)}` };
    // The location names the catalog file (blob) or a folder (tree); dir: is relative to the file's folder.
    const base = f.kind === "blob" ? f.path.split("/").slice(0, -1).join("/") : f.path;
    const path = resolveInside(base, target || ".");
    if (path === null) return { ok: false, message: `${TECHDOCS_REF} '${ref}' climbs out of the repository` };
    return { ok: true, source: { type: "github", host: f.host, owner: f.owner, repo: f.repo, ref: f.ref, path } };
  }
  if (location.startsWith("file:")) {
    const file = location.slice(5);
    const dir = file.slice(0, file.lastIndexOf("/")) || "/";
    const joined = resolveInside("", `${dir}/${target || "."}`);
    return { ok: true, source: { type: "local", path: `/${joined ?? ""}` } };
  }
  return { ok: false, message: `${TECHDOCS_REF} dir: cannot resolve against location ${location.slice(0, 200)}` };
}

/** `https://<host>/<owner>/<repo>/<kind>/<ref>/<path>`; the web URLs for listing, edit and view links. */
export function githubUrl(s: Extract<DocsSource, { type: "github" }>, kind: "tree" | "blob" | "edit", path: string): string {
  const full = [s.path, path].filter(Boolean).join("/");
  const enc = full.split("/").map(encodeURIComponent).join("/");
  return `https://${s.host}/${s.owner}/${s.repo}/${kind}/${s.ref.split("/").map(encodeURIComponent).join("/")}${enc ? `/${enc}` : ""}`;
}

export function repoKey(s: Extract<DocsSource, { type: "github" }>): string {
  return `${s.owner}/${s.repo}`.toLowerCase();
}
