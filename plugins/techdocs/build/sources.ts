/**
 * The two ways a site's files arrive: a GitHub folder read through the plugin context's sources (the
 * deployment's credentials; the plugin never sees them), pinned to the pushed commit when there is one, and
 * files uploaded by `npm run catalog:load` for entities loaded from a local folder.
 */
import type { PluginContext } from "../../../contract/plugin-worker";
import type { SiteSource, SourceFile } from "./build-site";
import { resolveInside } from "./paths";
import { githubUrl, type DocsSource } from "./source-ref";

type GithubSource = Extract<DocsSource, { type: "github" }>;

export function githubSiteSource(ctx: PluginContext, source: GithubSource, commit: string | null): SiteSource {
  const pinned: GithubSource = commit ? { ...source, ref: commit } : source;
  const treeUrl = githubUrl(pinned, "tree", "");
  const blobPrefix = `${githubUrl(pinned, "blob", "")}/`;
  const rootPrefix = source.path ? `${source.path}/` : "";
  return {
    source,
    commit,
    async list(): Promise<SourceFile[]> {
      const items = await ctx.sources.listTree(treeUrl);
      const out: SourceFile[] = [];
      for (const item of items) {
        // The blob URL names the file unambiguously; the path may be relative to the folder or to the repository.
        let path: string | null = null;
        if (item.url?.startsWith(blobPrefix)) path = decodeURIComponent(item.url.slice(blobPrefix.length));
        else if (rootPrefix && item.path.startsWith(rootPrefix)) path = item.path.slice(rootPrefix.length);
        else path = item.path;
        path = path === null ? null : resolveInside("", path);
        if (path) out.push({ path, sha: item.sha, size: item.size });
      }
      return out;
    },
    read: (path) => ctx.sources.readFile(githubUrl(pinned, "blob", path)),
    async lastCommit(path) {
      const c = await ctx.sources.lastCommit(githubUrl(source, "blob", path));
      return c ? { sha: c.sha, author: c.author, date: c.date } : null;
    },
  };
}

export interface UploadedFile {
  path: string;
  bytes: Uint8Array;
  /** ISO time the file last changed on disk, shown as "last updated" for local docs. */
  modified?: string | null;
}

async function sha1(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", bytes);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

export async function uploadedSiteSource(source: DocsSource, files: readonly UploadedFile[]): Promise<SiteSource> {
  const byPath = new Map(files.map((f) => [f.path, f]));
  const listed = await Promise.all(files.map(async (f) => ({ path: f.path, sha: await sha1(f.bytes), size: f.bytes.byteLength })));
  return {
    source,
    commit: null,
    list: async () => listed,
    async read(path) {
      const f = byPath.get(path);
      if (!f) throw new Error(`${path} was not uploaded`);
      return f.bytes;
    },
    lastCommit: async (path) => {
      const f = byPath.get(path);
      return f?.modified ? { sha: null, author: null, date: f.modified } : null;
    },
  };
}
