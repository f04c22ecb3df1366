/**
 * mkdocs.yml → the site's settings (site_name, docs_dir, nav) and the nav tree, checked against the files that
 * exist. Without an mkdocs.yml, `docs/` with an `index.md` is a site whose nav is its Markdown files in path
 * order. Everything here is pure: problems come back as BuildProblem values, never as thrown errors.
 */
import { CORE_SCHEMA, defineMappingTag, defineScalarTag, defineSequenceTag, load, Schema } from "js-yaml";
import { dirOf, isMarkdown, pageIdOf, resolveInside } from "./paths";

export interface NavItem {
  title: string;
  /** A page of this site. */
  pageId?: string;
  /** An external link. */
  url?: string;
  children?: NavItem[];
}

export interface BuildProblem {
  /** Backstage-style error name shown with the message. */
  name: "MkdocsError" | "NavError" | "PageTooLargeError" | "SourceError" | "SiteTooLargeError";
  message: string;
  /** The source file it is about, relative to the site root (where mkdocs.yml is). */
  file?: string;
}

export interface SiteConfig {
  siteName: string | null;
  siteDescription: string | null;
  /** Relative to the site root, no trailing slash (`docs`). */
  docsDir: string;
  /** As written in mkdocs.yml; null means "every page in file order". */
  nav: unknown[] | null;
  editUri: string | null;
}

export const MAX_MKDOCS_BYTES = 256 * 1024;

/** mkdocs.yml files carry Python tags (`!!python/name:material.extensions.emoji.twemoji`) and `!ENV`: read them as null. */
const ignoredScalar = (tag: string) => defineScalarTag(tag, { matchByTagPrefix: true, resolve: () => null, identify: () => false });
const ignoredSequence = (tag: string) =>
  defineSequenceTag<null>(tag, { matchByTagPrefix: true, create: () => null, addItem: () => undefined, identify: () => false });
const ignoredMapping = (tag: string) =>
  defineMappingTag<null>(tag, { matchByTagPrefix: true, create: () => null, addPair: () => "", has: () => false, keys: () => [], get: () => undefined, identify: () => false });
const tolerant = new Schema([
  ...CORE_SCHEMA.tags,
  ...["tag:yaml.org,2002:python/", "!ENV", "!relative"].flatMap((t) => [ignoredScalar(t), ignoredSequence(t), ignoredMapping(t)]),
]);

const str = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v.trim() : null);

export function parseMkdocs(text: string | null): { config: SiteConfig; problems: BuildProblem[] } {
  const fallback: SiteConfig = { siteName: null, siteDescription: null, docsDir: "docs", nav: null, editUri: null };
  if (text === null) return { config: fallback, problems: [] };
  if (text.length > MAX_MKDOCS_BYTES) return { config: fallback, problems: [{ name: "MkdocsError", file: "mkdocs.yml", message: `mkdocs.yml is over ${MAX_MKDOCS_BYTES / 1024} KiB` }] };
  let doc: unknown;
  try {
    doc = load(text, { schema: tolerant, maxAliases: 100 });
  } catch (err) {
    const e = err as { mark?: { line?: number }; reason?: string; message?: string };
    const line = e.mark?.line !== undefined ? ` (line ${e.mark.line + 1})` : "";
    return { config: fallback, problems: [{ name: "MkdocsError", file: "mkdocs.yml", message: `mkdocs.yml is not valid YAML${line}: ${e.reason ?? e.message ?? "parse error"}` }] };
  }
  if (doc === null || doc === undefined) return { config: fallback, problems: [] };
  if (typeof doc !== "object" || Array.isArray(doc)) return { config: fallback, problems: [{ name: "MkdocsError", file: "mkdocs.yml", message: "mkdocs.yml must be a mapping (site_name:, nav:, ...)" }] };
  const m = doc as Record<string, unknown>;
  const problems: BuildProblem[] = [];
  let docsDir = "docs";
  if (m.docs_dir !== undefined) {
    const d = str(m.docs_dir);
    const resolved = d === null ? null : resolveInside("", d);
    if (resolved === null || resolved === "") problems.push({ name: "MkdocsError", file: "mkdocs.yml", message: `docs_dir '${String(m.docs_dir).slice(0, 100)}' must be a folder inside the site` });
    else docsDir = resolved;
  }
  let nav: unknown[] | null = null;
  if (m.nav !== undefined && m.nav !== null) {
    if (Array.isArray(m.nav)) nav = m.nav;
    else problems.push({ name: "NavError", file: "mkdocs.yml", message: "nav must be a list of pages and sections" });
  }
  return {
    config: { siteName: str(m.site_name), siteDescription: str(m.site_description), docsDir, nav, editUri: str(m.edit_uri) },
    problems,
  };
}

const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/** A title for a page nobody named: its file name, words capitalised (`getting-started.md` → `Getting started`). */
export function titleFromPath(mdPath: string): string {
  const id = pageIdOf(mdPath);
  const base = (id || "Home").slice(id.lastIndexOf("/") + 1).replace(/[-_]+/g, " ").trim();
  return base ? base[0]!.toUpperCase() + base.slice(1) : "Home";
}

/**
 * The nav tree. With mkdocs.yml's nav, each entry is checked: a page that does not exist is a NavError (the
 * entry is dropped, the rest of the site still builds). Without one, every Markdown file in path order, nested
 * by folder, index first.
 */
export function buildNav(config: SiteConfig, mdPaths: readonly string[], titles: ReadonlyMap<string, string> = new Map()): { nav: NavItem[]; problems: BuildProblem[] } {
  const problems: BuildProblem[] = [];
  const present = new Set(mdPaths);
  if (config.nav === null) return { nav: fileOrderNav(mdPaths, titles), problems };

  const visit = (entries: unknown[], depth: number): NavItem[] => {
    const out: NavItem[] = [];
    for (const entry of entries) {
      if (depth > 8) {
        problems.push({ name: "NavError", file: "mkdocs.yml", message: "nav is nested more than 8 levels deep" });
        break;
      }
      let title: string | null = null;
      let target: unknown = entry;
      if (entry && typeof entry === "object" && !Array.isArray(entry)) {
        const keys = Object.keys(entry);
        if (keys.length !== 1) {
          problems.push({ name: "NavError", file: "mkdocs.yml", message: `nav entries are 'Title: page.md' or 'Title: [...]'; got one with ${keys.length} keys` });
          continue;
        }
        title = keys[0]!;
        target = (entry as Record<string, unknown>)[title];
      }
      if (Array.isArray(target)) {
        out.push({ title: title ?? "Section", children: visit(target, depth + 1) });
      } else if (typeof target === "string") {
        if (EXTERNAL.test(target)) {
          if (/^https?:/i.test(target)) out.push({ title: title ?? target, url: target });
          else problems.push({ name: "NavError", file: "mkdocs.yml", message: `nav link '${target.slice(0, 100)}' is neither a page nor an http(s) URL` });
          continue;
        }
        const path = resolveInside("", target);
        if (path === null || !present.has(path)) {
          problems.push({ name: "NavError", file: "mkdocs.yml", message: `nav entry '${target.slice(0, 200)}' names a page that is not in ${config.docsDir}/` });
          continue;
        }
        out.push({ title: title ?? titles.get(path) ?? titleFromPath(path), pageId: pageIdOf(path) });
      } else {
        problems.push({ name: "NavError", file: "mkdocs.yml", message: `nav entry ${JSON.stringify(entry)?.slice(0, 100)} is not a page or a section` });
      }
    }
    return out;
  };
  return { nav: visit(config.nav, 0), problems };
}

function fileOrderNav(mdPaths: readonly string[], titles: ReadonlyMap<string, string>): NavItem[] {
  const root: NavItem[] = [];
  const sections = new Map<string, NavItem>();
  const sorted = [...mdPaths].sort((a, b) => {
    const da = dirOf(a), db = dirOf(b);
    if (da !== db) return da < db ? -1 : 1;
    const ia = pageIdOf(a) === da ? 0 : 1, ib = pageIdOf(b) === db ? 0 : 1;
    return ia - ib || (a < b ? -1 : a > b ? 1 : 0);
  });
  const sectionFor = (dir: string): NavItem[] => {
    if (dir === "") return root;
    let s = sections.get(dir);
    if (!s) {
      s = { title: titleFromPath(`${dir}.md`), children: [] };
      sections.set(dir, s);
      sectionFor(dirOf(dir)).push(s);
    }
    return s.children!;
  };
  for (const p of sorted) {
    if (!isMarkdown(p)) continue;
    sectionFor(dirOf(p)).push({ title: titles.get(p) ?? titleFromPath(p), pageId: pageIdOf(p) });
  }
  return root;
}

/** Page ids in nav order, then every other page: previous/next links and the default first page. */
export function flattenNav(nav: readonly NavItem[]): string[] {
  const out: string[] = [];
  const walk = (items: readonly NavItem[]) => {
    for (const it of items) {
      if (it.pageId !== undefined) out.push(it.pageId);
      if (it.children) walk(it.children);
    }
  };
  walk(nav);
  return out;
}
