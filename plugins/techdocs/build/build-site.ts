/**
 * Builds one entity's docs site, incrementally.
 *
 * STEP 1 lists the site's files (GitHub tree or uploaded files) with a content sha each: cheap, no file read.
 * STEP 2 reads mkdocs.yml (or falls back to docs/index.md) for site_name, docs_dir and nav.
 * STEP 3 compares every page's sha and the render version with the page index: only new and changed pages
 *        are read and rendered (the expensive path); unchanged pages keep their stored HTML, title and search
 *        sections. A page's HTML depends only on its own source and path (links are rewritten by path, not by
 *        what exists), which is what makes skipping it sound.
 * STEP 4 copies new and changed images and files, removes pages and files that are gone (rows, blobs, search).
 * STEP 5 writes the nav and the site record with the build's counts and problems (bad mkdocs.yml, nav entries
 *        without a page, oversize pages), and records the problems as processing errors on the entity (a good
 *        build clears them): they are shown with the docs and on the entity page, and the rest of the site builds.
 * A build that has more changed pages than `maxPages` renders that many and reports `more: true`; the caller
 * queues another pass, which finds those pages unchanged and continues (progress is the page index itself).
 */
import type { PluginContext, SearchDocument } from "../../../contract/plugin-worker";
import { renderMarkdown, RENDER_VERSION } from "../render/markdown";
import { recordEntityProblems } from "./entity-problems";
import { buildNav, parseMkdocs, titleFromPath, type BuildProblem } from "./mkdocs";
import { isMarkdown, pageIdOf, readerPath, type EntityName } from "./paths";
import { assetBlobKey, pageBlobKey, siteStore, type AssetRow, type CommitInfo, type PageRow, type SiteRecord, type StoredPage } from "./site-store";
import type { DocsSource } from "./source-ref";

export interface SourceFile {
  /** Relative to the site root (the folder mkdocs.yml is in). */
  path: string;
  /** Content identity (git blob sha for GitHub, a SHA-1 of the bytes for uploads). */
  sha: string;
  size: number;
}

export interface SiteSource {
  source: DocsSource;
  list(): Promise<SourceFile[]>;
  read(path: string): Promise<Uint8Array>;
  lastCommit(path: string): Promise<CommitInfo | null>;
  /** The commit the listing is at, when known. */
  commit: string | null;
}

export const MAX_PAGE_BYTES = 1024 * 1024;
export const MAX_ASSET_BYTES = 8 * 1024 * 1024;
export const MAX_SITE_FILES = 5000;
/**
 * Pages one queue invocation renders. Each costs about four subrequests (read, last commit, blob put, index
 * row), and binding calls count against an invocation's subrequest limit (1,000 on the paid plan), so a big
 * first build is split into passes well under it.
 */
export const DEFAULT_PAGES_PER_PASS = 100;

const CONTENT_TYPES: Record<string, string> = {
  png: "image/png", jpg: "image/jpeg", jpeg: "image/jpeg", gif: "image/gif", webp: "image/webp", avif: "image/avif",
  ico: "image/x-icon", bmp: "image/bmp", pdf: "application/pdf", txt: "text/plain; charset=utf-8", csv: "text/csv; charset=utf-8",
  json: "application/json", zip: "application/zip",
};

/** Types served from the worker. Anything else (svg: script in an image; html: a page in our origin) is not published. */
export function contentTypeOf(path: string): string | null {
  const ext = path.slice(path.lastIndexOf(".") + 1).toLowerCase();
  return CONTENT_TYPES[ext] ?? null;
}

export interface BuildResult {
  site: SiteRecord;
  rendered: string[];
  removed: string[];
  more: boolean;
}

/** The search index takes at most 500 documents or ids per call. */
const SEARCH_BATCH = 200;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

const decoder = new TextDecoder("utf-8", { fatal: true, ignoreBOM: false });

async function pool<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

export interface BuildOptions {
  entity: EntityName & { title?: string | null; owner?: string | null; type?: string | null };
  trigger: string;
  maxPages?: number;
  /** Read last-commit info for rendered pages (GitHub only; one API call per changed page). */
  commits?: boolean;
}

export async function buildSite(ctx: PluginContext, src: SiteSource, opts: BuildOptions): Promise<BuildResult> {
  const store = siteStore(ctx);
  const entity = opts.entity;
  const ref = `${entity.kind}:${entity.namespace}/${entity.name}`.toLowerCase();
  const problems: BuildProblem[] = [];
  const previous = await store.getSite(ref);

  // STEP 1
  const files = await src.list();
  if (files.length > MAX_SITE_FILES) problems.push({ name: "SiteTooLargeError", message: `the docs folder has ${files.length} files; at most ${MAX_SITE_FILES} are built` });
  const byPath = new Map(files.slice(0, MAX_SITE_FILES).map((f) => [f.path, f]));

  // STEP 2
  const mkdocsFile = byPath.get("mkdocs.yml") ?? byPath.get("mkdocs.yaml");
  const mkdocsText = mkdocsFile ? await readText(src, mkdocsFile, problems) : null;
  const { config, problems: configProblems } = parseMkdocs(mkdocsText);
  problems.push(...configProblems);
  const prefix = `${config.docsDir}/`;
  const docs = [...byPath.values()].filter((f) => f.path.startsWith(prefix)).map((f) => ({ ...f, rel: f.path.slice(prefix.length) }));
  const md = docs.filter((f) => isMarkdown(f.rel));
  if (!mkdocsFile && !md.some((f) => /^(index|readme)\.md$/i.test(f.rel))) {
    problems.push({ name: "SourceError", message: `no mkdocs.yml and no ${config.docsDir}/index.md: nothing to build` });
  } else if (mkdocsFile && md.length === 0) {
    problems.push({ name: "SourceError", file: mkdocsFile.path, message: `${config.docsDir}/ holds no Markdown pages` });
  }

  const wanted = new Map<string, (typeof md)[number]>();
  for (const f of md) {
    const id = pageIdOf(f.rel);
    const other = wanted.get(id);
    // index.md wins over README.md for a folder; two files naming one page otherwise: the first in path order.
    if (other && !/^readme\.md$/i.test(other.rel.slice(other.rel.lastIndexOf("/") + 1))) {
      if (!/^readme\.md$/i.test(f.rel.slice(f.rel.lastIndexOf("/") + 1))) problems.push({ name: "SourceError", file: f.path, message: `${f.rel} and ${other.rel} are the same page; ${other.rel} is used` });
      continue;
    }
    if (f.size > MAX_PAGE_BYTES) {
      problems.push({ name: "PageTooLargeError", file: f.path, message: `${f.rel} is ${(f.size / 1024).toFixed(0)} KiB; pages are limited to ${MAX_PAGE_BYTES / 1024} KiB` });
      continue;
    }
    wanted.set(id, f);
  }

  // STEP 3
  const index = await store.pagesOf(ref);
  const changed = [...wanted.entries()].filter(([id, f]) => {
    const row = index.get(id);
    return !row || row.sha !== f.sha || row.renderVersion !== RENDER_VERSION || row.mdPath !== f.rel;
  });
  const maxPages = opts.maxPages ?? DEFAULT_PAGES_PER_PASS;
  const batch = changed.slice(0, maxPages);
  const more = changed.length > batch.length;
  const renderedIds: string[] = [];
  const searchDocs: SearchDocument[] = [];
  const staleSearchIds: string[] = [];

  const texts = await pool(batch, 6, async ([id, f]) => {
    const text = await readText(src, f, problems);
    const commit = opts.commits && text !== null ? await src.lastCommit(f.path).catch(() => null) : null;
    return { id, f, text, commit };
  });
  for (const { id, f, text, commit } of texts) {
    if (text === null) continue;
    const page = renderMarkdown(text, { entity, mdPath: f.rel });
    const title = page.title ?? titleFromPath(f.rel);
    const stored: StoredPage = { html: page.html, title: page.title, toc: page.toc };
    await ctx.blobs.put(pageBlobKey(ref, id), JSON.stringify(stored), { contentType: "application/json" });
    const sectionIds = page.sections.map((s) => `${ref}#${id}#${s.id}`);
    const old = index.get(id);
    if (old) staleSearchIds.push(...old.sectionIds.filter((s) => !sectionIds.includes(s)));
    for (const s of page.sections) {
      searchDocs.push({
        id: `${ref}#${id}#${s.id}`,
        entityRef: ref,
        title,
        section: s.heading || undefined,
        text: s.text,
        path: readerPath(entity, id, s.id ? `#${s.id}` : ""),
      });
    }
    const row: PageRow = { pageId: id, mdPath: f.rel, sha: f.sha, renderVersion: RENDER_VERSION, title, sectionIds, commit: commit ?? null, builtAt: new Date().toISOString() };
    await store.putPage(ref, row);
    index.set(id, row);
    renderedIds.push(id);
  }
  for (const ids of chunks(staleSearchIds, SEARCH_BATCH)) await ctx.search.remove(ids);
  for (const docs of chunks(searchDocs, SEARCH_BATCH)) await ctx.search.index(docs);

  if (more) {
    const pending: SiteRecord = siteRecord(ref, entity, src, config, previous, [], index.size, "pending", problems, null);
    if (previous?.status === "ok") pending.status = "ok"; // the old site stays readable while the rest renders
    pending.nav = previous?.nav ?? [];
    pending.buildInProgress = { rendered: (previous?.buildInProgress?.rendered ?? 0) + renderedIds.length };
    await store.putSite(pending);
    return { site: pending, rendered: renderedIds, removed: [], more: true };
  }

  // STEP 4
  const removed: string[] = [];
  for (const [id, row] of index) {
    if (wanted.has(id)) continue;
    await ctx.blobs.delete(pageBlobKey(ref, id));
    await store.deletePage(ref, id);
    for (const ids of chunks(row.sectionIds, SEARCH_BATCH)) await ctx.search.remove(ids);
    index.delete(id);
    removed.push(id);
  }
  const assetIndex = await store.assetsOf(ref);
  const assetFiles = docs.filter((f) => !isMarkdown(f.rel) && contentTypeOf(f.rel) !== null);
  let assetsCopied = 0;
  await pool(assetFiles, 6, async (f) => {
    const row = assetIndex.get(f.rel);
    if (row && row.sha === f.sha) return;
    if (f.size > MAX_ASSET_BYTES) {
      problems.push({ name: "PageTooLargeError", file: f.path, message: `${f.rel} is ${(f.size / 1024 / 1024).toFixed(1)} MiB; files are limited to ${MAX_ASSET_BYTES / 1024 / 1024} MiB` });
      return;
    }
    const bytes = await src.read(f.path).catch((err: unknown) => {
      problems.push({ name: "SourceError", file: f.path, message: `could not read ${f.rel}: ${(err as Error).message}` });
      return null;
    });
    if (!bytes) return;
    const contentType = contentTypeOf(f.rel)!;
    await ctx.blobs.put(assetBlobKey(ref, f.rel), bytes, { contentType });
    const next: AssetRow = { path: f.rel, sha: f.sha, size: bytes.byteLength, contentType };
    await store.putAsset(ref, next);
    assetsCopied++;
  });
  const keepAssets = new Set(assetFiles.map((f) => f.rel));
  const goneAssets = [...assetIndex.keys()].filter((p) => !keepAssets.has(p));
  if (goneAssets.length) {
    await ctx.blobs.delete(goneAssets.map((p) => assetBlobKey(ref, p)));
    await Promise.all(goneAssets.map((p) => store.deleteAsset(ref, p)));
  }

  // STEP 5
  const titles = new Map([...index.values()].map((r) => [r.mdPath, r.title]));
  const { nav, problems: navProblems } = buildNav(config, [...wanted.values()].map((f) => f.rel), titles);
  problems.push(...navProblems);
  // Pages the nav leaves out are still published and searchable (mkdocs does the same), just not in the sidebar.
  const stats = {
    rendered: (previous?.buildInProgress?.rendered ?? 0) + renderedIds.length,
    unchanged: index.size - renderedIds.length - (previous?.buildInProgress?.rendered ?? 0),
    removed: removed.length,
    assetsCopied,
    count: (previous?.build?.count ?? 0) + 1,
    at: new Date().toISOString(),
    commit: src.commit,
    trigger: opts.trigger,
    renderVersion: RENDER_VERSION,
  };
  const status = index.size === 0 ? "failed" : "ok";
  const site = siteRecord(ref, entity, src, config, previous, nav, index.size, status, problems, stats);
  await store.putSite(site);
  await recordEntityProblems(ctx, ref, problems, src.commit);
  return { site, rendered: renderedIds, removed, more: false };
}

function siteRecord(
  ref: string,
  entity: BuildOptions["entity"],
  src: SiteSource,
  config: ReturnType<typeof parseMkdocs>["config"],
  previous: SiteRecord | undefined,
  nav: SiteRecord["nav"],
  pageCount: number,
  status: SiteRecord["status"],
  problems: BuildProblem[],
  build: SiteRecord["build"],
): SiteRecord {
  return {
    ref,
    entity: { kind: entity.kind, namespace: entity.namespace, name: entity.name, title: entity.title ?? null, owner: entity.owner ?? null, type: entity.type ?? null },
    siteName: config.siteName ?? entity.title ?? entity.name,
    siteDescription: config.siteDescription,
    source: src.source,
    docsDir: config.docsDir,
    nav,
    pageCount,
    status,
    problems: problems.slice(0, 100),
    build: build ?? previous?.build ?? null,
    updatedAt: new Date().toISOString(),
  };
}

async function readText(src: SiteSource, f: SourceFile, problems: BuildProblem[]): Promise<string | null> {
  try {
    return decoder.decode(await src.read(f.path));
  } catch (err) {
    const message = err instanceof TypeError ? `${f.path} is not UTF-8 text` : `could not read ${f.path}: ${(err as Error).message}`;
    problems.push({ name: "SourceError", file: f.path, message });
    return null;
  }
}
