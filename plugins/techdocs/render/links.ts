/**
 * Where a link or image in a page points once the site is in the portal. Relative targets resolve against the
 * page's folder inside the docs folder: Markdown files (and folders, mkdocs' `../guide/` style) become reader
 * routes, other files are served by the worker. A target that climbs out of the docs folder is refused (it
 * would read repository files the site does not publish); so are schemes other than http(s) and mailto.
 */
import { assetPath, dirOf, isMarkdown, pageIdOf, readerPath, resolveInside, type EntityName } from "../build/paths";

export interface LinkContext {
  entity: EntityName;
  /** The page's Markdown path relative to the docs folder (`guides/setup.md`). */
  mdPath: string;
}

export type LinkTarget =
  | { kind: "external" | "anchor" | "page"; href: string }
  | { kind: "asset"; href: string; path: string }
  | { kind: "refused"; reason: string };

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

function split(href: string): { path: string; hash: string; query: string } {
  const hashAt = href.indexOf("#");
  const hash = hashAt >= 0 ? href.slice(hashAt) : "";
  const beforeHash = hashAt >= 0 ? href.slice(0, hashAt) : href;
  const queryAt = beforeHash.indexOf("?");
  return { path: queryAt >= 0 ? beforeHash.slice(0, queryAt) : beforeHash, query: queryAt >= 0 ? beforeHash.slice(queryAt) : "", hash };
}

function decodePath(path: string): string | null {
  try {
    return decodeURIComponent(path);
  } catch {
    return null;
  }
}

/** Controls and whitespace browsers strip before reading a scheme (`java\tscript:`) must not hide one. */
const normalizeHref = (href: string) => href.trim().replace(/[\u0000-\u0020\u007f]/g, "");

export function rewriteLink(ctx: LinkContext, rawHref: string): LinkTarget {
  const href = normalizeHref(rawHref);
  if (href === "") return { kind: "refused", reason: "empty link" };
  if (href.startsWith("#")) return { kind: "anchor", href };
  const scheme = SCHEME.exec(href)?.[1]?.toLowerCase();
  if (scheme) {
    if (scheme === "http" || scheme === "https" || scheme === "mailto") return { kind: "external", href };
    return { kind: "refused", reason: `${scheme}: links are not allowed` };
  }
  if (href.startsWith("//")) return { kind: "external", href: `https:${href}` };
  if (href.startsWith("/")) return { kind: "refused", reason: "absolute paths do not name a page of this site; use a relative link" };
  const { path, hash } = split(href);
  const decoded = decodePath(path);
  if (decoded === null) return { kind: "refused", reason: "malformed link" };
  const resolved = resolveInside(dirOf(ctx.mdPath), decoded);
  if (resolved === null) return { kind: "refused", reason: "links outside the docs folder are not served" };
  const last = resolved.slice(resolved.lastIndexOf("/") + 1);
  if (isMarkdown(resolved)) return { kind: "page", href: readerPath(ctx.entity, pageIdOf(resolved), hash) };
  if (decoded === "" || decoded.endsWith("/") || !last.includes(".")) {
    // A folder or an extension-less page name, as mkdocs writes them (`../guide/`): the reader resolves it.
    return { kind: "page", href: readerPath(ctx.entity, resolved, hash) };
  }
  return { kind: "asset", href: assetPath(ctx.entity, resolved) + hash, path: resolved };
}

export function rewriteImage(ctx: LinkContext, rawHref: string): LinkTarget {
  const href = normalizeHref(rawHref);
  const scheme = SCHEME.exec(href)?.[1]?.toLowerCase();
  if (scheme) {
    if (scheme === "http" || scheme === "https") return { kind: "external", href };
    return { kind: "refused", reason: `${scheme}: images are not allowed` };
  }
  if (href === "" || href.startsWith("#")) return { kind: "refused", reason: "empty image source" };
  if (href.startsWith("//")) return { kind: "external", href: `https:${href}` };
  if (href.startsWith("/")) return { kind: "refused", reason: "absolute image paths are not served; use a path relative to the page" };
  const decoded = decodePath(split(href).path);
  if (decoded === null) return { kind: "refused", reason: "malformed image source" };
  const resolved = resolveInside(dirOf(ctx.mdPath), decoded);
  if (resolved === null || resolved === "") return { kind: "refused", reason: "images outside the docs folder are not served" };
  return { kind: "asset", href: assetPath(ctx.entity, resolved), path: resolved };
}
