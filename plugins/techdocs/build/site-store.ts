/**
 * The page index and site records in the plugin's storage (D1 underneath), and the rendered pages and assets
 * in its blobs (R2). Tables:
 * - `sites`  key `<ref>`: the site record (name, nav, source, last build, build problems);
 * - `pages`  key `<ref>#<pageId>`: one row per page (source path and sha, render version, title, sections, commit);
 * - `assets` key `<ref>#<path>`: one row per image or file under the docs folder (sha, size, type);
 * - `repos`  key `<owner/repo>#<ref>`: which sites a push to a repository can touch.
 * Blob keys: `pages/<ref>/<pageId>/index.json` and `assets/<ref>/<path>`.
 */
import type { JsonValue, PluginContext } from "../../../contract/plugin-worker";
import type { BuildProblem, NavItem } from "./mkdocs";
import type { DocsSource } from "./source-ref";
import type { TocEntry } from "../render/markdown";

export interface CommitInfo {
  sha: string | null;
  author: string | null;
  date: string | null;
}

export interface PageRow {
  pageId: string;
  /** Relative to the docs folder. */
  mdPath: string;
  sha: string;
  renderVersion: number;
  title: string;
  sectionIds: string[];
  commit: CommitInfo | null;
  builtAt: string;
}

export interface AssetRow {
  path: string;
  sha: string;
  size: number;
  contentType: string;
}

export interface BuildStats {
  /** Pages rendered by this build (changed or new). */
  rendered: number;
  unchanged: number;
  removed: number;
  assetsCopied: number;
  /** How many builds this site has had. */
  count: number;
  at: string;
  commit: string | null;
  trigger: string;
  /** The renderer's version the build ran with (a build at the same commit and version would change nothing). */
  renderVersion?: number;
}

export interface SiteRecord {
  ref: string;
  entity: { kind: string; namespace: string; name: string; title: string | null; owner: string | null; type: string | null };
  siteName: string;
  siteDescription: string | null;
  source: DocsSource;
  /** Relative to the site root. */
  docsDir: string;
  nav: NavItem[];
  pageCount: number;
  status: "ok" | "failed" | "pending";
  problems: BuildProblem[];
  build: BuildStats | null;
  /** Pages rendered so far by a build split across passes (see build-site.ts). */
  buildInProgress?: { rendered: number } | null;
  updatedAt: string;
}

export interface StoredPage {
  html: string;
  title: string | null;
  toc: TocEntry[];
}

const pageKey = (ref: string, pageId: string) => `${ref}#${pageId}`;

export const pageBlobKey = (ref: string, pageId: string) => `pages/${ref}/${pageId ? `${pageId}/` : ""}index.json`;
export const assetBlobKey = (ref: string, path: string) => `assets/${ref}/${path}`;

const asJson = <T>(v: T) => v as unknown as JsonValue;

export function siteStore(ctx: PluginContext) {
  const sites = ctx.storage.table<SiteRecord>("sites");
  const pages = ctx.storage.table<PageRow>("pages");
  const assets = ctx.storage.table<AssetRow>("assets");
  const repos = ctx.storage.table<{ ref: string; branch: string; path: string }>("repos");

  async function listAll<T>(table: typeof pages | typeof assets | typeof repos | typeof sites, prefix: string): Promise<{ key: string; value: T }[]> {
    const out: { key: string; value: T }[] = [];
    let cursor: string | undefined;
    do {
      const page = await (table as ReturnType<typeof ctx.storage.table<T>>).list({ prefix, cursor, limit: 1000 });
      out.push(...page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return out;
  }

  return {
    getSite: (ref: string) => sites.get(ref),
    putSite: (site: SiteRecord) => sites.put(site.ref, asJson(site) as never),
    async listSites(cursor?: string, limit = 1000) {
      return sites.list({ cursor, limit });
    },
    async pagesOf(ref: string): Promise<Map<string, PageRow>> {
      const rows = await listAll<PageRow>(pages, `${ref}#`);
      return new Map(rows.map((r) => [r.value.pageId, r.value]));
    },
    getPage: (ref: string, pageId: string) => pages.get(pageKey(ref, pageId)),
    putPage: (ref: string, row: PageRow) => pages.put(pageKey(ref, row.pageId), row),
    deletePage: (ref: string, pageId: string) => pages.delete(pageKey(ref, pageId)),
    async assetsOf(ref: string): Promise<Map<string, AssetRow>> {
      const rows = await listAll<AssetRow>(assets, `${ref}#`);
      return new Map(rows.map((r) => [r.value.path, r.value]));
    },
    getAsset: (ref: string, path: string) => assets.get(`${ref}#${path}`),
    putAsset: (ref: string, row: AssetRow) => assets.put(`${ref}#${row.path}`, row),
    deleteAsset: (ref: string, path: string) => assets.delete(`${ref}#${path}`),
    async sitesOfRepo(repo: string) {
      return (await listAll<{ ref: string; branch: string; path: string }>(repos, `${repo}#`)).map((r) => r.value);
    },
    putRepoLink: (repo: string, ref: string, branch: string, path: string) => repos.put(`${repo}#${ref}`, { ref, branch, path }),
    deleteRepoLink: (repo: string, ref: string) => repos.delete(`${repo}#${ref}`),
    async removeSite(ref: string): Promise<void> {
      const site = await sites.get(ref);
      await Promise.all([pages.deletePrefix(`${ref}#`), assets.deletePrefix(`${ref}#`)]);
      const blobs = await ctx.blobs.list(`pages/${ref}/`);
      const files = await ctx.blobs.list(`assets/${ref}/`);
      if (blobs.length + files.length) await ctx.blobs.delete([...blobs, ...files].map((b) => b.key));
      await ctx.search.removeEntity(ref);
      await ctx.storage.table("leases").deletePrefix(`${ref}#`);
      if (site?.source.type === "github") await repos.delete(`${`${site.source.owner}/${site.source.repo}`.toLowerCase()}#${ref}`);
      await sites.delete(ref);
    },
  };
}

export type SiteStore = ReturnType<typeof siteStore>;
