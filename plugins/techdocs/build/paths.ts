/**
 * Paths inside a docs site, all POSIX and relative to the docs folder (docs_dir). A page's id is its Markdown
 * path without `.md`, with `index.md` (or `README.md` standing in for it) naming its folder: `index.md` → ``,
 * `guides/index.md` → `guides`, `guides/setup.md` → `guides/setup`. Reader URLs are `/docs/<ns>/<kind>/<name>/<id>`.
 */

/**
 * Resolves `rel` against the folder `baseDir` (both inside the docs root) and normalizes it. Returns null when
 * the result leaves the root (`../` past the top), which is how "outside the docs folder" is refused.
 */
export function resolveInside(baseDir: string, rel: string): string | null {
  const out: string[] = [];
  const start = rel.startsWith("/") ? [] : baseDir.split("/");
  for (const segment of [...start, ...rel.split("/")]) {
    if (segment === "" || segment === ".") continue;
    if (segment === "..") {
      if (out.length === 0) return null;
      out.pop();
    } else out.push(segment);
  }
  return out.join("/");
}

export function dirOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i < 0 ? "" : path.slice(0, i);
}

export function isMarkdown(path: string): boolean {
  return /\.(md|markdown)$/i.test(path);
}

/** The page id of a Markdown file (see the module comment). */
export function pageIdOf(mdPath: string): string {
  const noExt = mdPath.replace(/\.(md|markdown)$/i, "");
  const base = noExt.slice(noExt.lastIndexOf("/") + 1).toLowerCase();
  if (base === "index" || base === "readme") return dirOf(noExt);
  return noExt;
}

/** Segments of a reader path after the entity, decoded and checked: no empty, dot or control segments. */
export function normalizePageId(raw: string): string | null {
  const trimmed = raw.replace(/^\/+|\/+$/g, "");
  if (trimmed === "") return "";
  const parts = trimmed.split("/");
  for (const p of parts) if (p === "" || p === "." || p === ".." || /[\u0000-\u001f\\]/.test(p)) return null;
  return parts.join("/");
}

export function readerBase(ref: EntityName): string {
  return `/docs/${enc(ref.namespace)}/${enc(ref.kind)}/${enc(ref.name)}`;
}

export function readerPath(ref: EntityName, pageId: string, hash = ""): string {
  const page = pageId ? `/${pageId.split("/").map(enc).join("/")}` : "/";
  return `${readerBase(ref)}${page}${hash}`;
}

/** Where the worker serves a site's non-Markdown files (images, attachments) from. */
export function assetPath(ref: EntityName, path: string): string {
  return `/api/plugins/techdocs/assets/${enc(ref.namespace)}/${enc(ref.kind)}/${enc(ref.name)}?path=${encodeURIComponent(path)}`;
}

const enc = (s: string) => encodeURIComponent(s);

export interface EntityName {
  kind: string;
  namespace: string;
  name: string;
}

/** `kind:namespace/name`, lower-cased: the key every table and blob of a site uses. */
export function refOf(e: EntityName): string {
  return `${e.kind}:${e.namespace}/${e.name}`.toLowerCase();
}

export function parseRef(ref: string): EntityName | null {
  const m = /^([^:/]+):([^:/]+)\/([^:/]+)$/.exec(ref);
  return m ? { kind: m[1]!.toLowerCase(), namespace: m[2]!.toLowerCase(), name: m[3]!.toLowerCase() } : null;
}
