/**
 * TechDocs' HTTP API under /api/plugins/techdocs (Backstage's /api/techdocs/metadata/... is aliased here):
 *   GET  /sites                                   every documented entity (docs index; ?owner=&kind=)
 *   GET  /sites/:namespace/:kind/:name            one site: nav, source links, last build, build problems
 *   GET  /sites/:namespace/:kind/:name/page       one page (?path=<page id>): sanitized HTML, TOC, commit, edit/view links
 *   POST /sites/:namespace/:kind/:name            upload a local folder's docs and build them (catalog:load; 409 while another build holds the site)
 *   POST /sites/:namespace/:kind/:name/rebuild    queue a build from the entity's source
 *   GET  /assets/:namespace/:kind/:name           an image or file of the site (?path=<docs-relative path>)
 *   GET  /search                                  docs search (?q=&entity=)
 *   GET  /highlight.css                           token colors for highlighted code
 *   GET  /metadata/techdocs/:namespace/:kind/:name, /metadata/entity/:namespace/:kind/:name   Backstage's shapes
 */
import type { Context } from "hono";
import type { PluginEnv } from "../../contract/plugin-worker";
import { ApiError, pluginRouter } from "../../worker/plugins/api";
import { buildSite } from "./build/build-site";
import { claimBuildLease } from "./build/lease";
import type { NavItem } from "./build/mkdocs";
import { normalizePageId, resolveInside } from "./build/paths";
import { assetBlobKey, pageBlobKey, siteStore, type SiteRecord, type StoredPage } from "./build/site-store";
import { uploadedSiteSource, type UploadedFile } from "./build/sources";
import { githubUrl, resolveDocsSource, TECHDOCS_REF } from "./build/source-ref";
import { entityName, type BuildJob } from "./hooks";
import { highlightCss } from "./render/highlight";

type C = Context<PluginEnv>;

/** Nav pages in order, with the titles the nav shows (previous/next links use them as they are). */
function flattenNavItems(nav: readonly NavItem[], out: NavItem[] = []): NavItem[] {
  for (const n of nav) {
    if (n.pageId !== undefined) out.push(n);
    if (n.children) flattenNavItems(n.children, out);
  }
  return out;
}

function refParams(c: C): string {
  const ns = c.req.param("namespace")!, kind = c.req.param("kind")!, name = c.req.param("name")!;
  return `${kind}:${ns}/${name}`.toLowerCase();
}

async function siteOr404(c: C, ref: string): Promise<SiteRecord> {
  // A site is visible exactly when its entity is: the catalog read runs as the caller (both reads at once).
  const [site, entity] = await Promise.all([siteStore(c.env.plugin).getSite(ref), c.env.plugin.catalog.getEntityByRef(ref)]);
  if (!site || !entity) throw new ApiError("NotFoundError", `No docs for ${ref}`);
  return site;
}

function siteLinks(site: SiteRecord) {
  if (site.source.type !== "github") return { repoUrl: null, docsUrl: null };
  return { repoUrl: `https://${site.source.host}/${site.source.owner}/${site.source.repo}`, docsUrl: githubUrl(site.source, "tree", site.docsDir) };
}

function summary(site: SiteRecord) {
  return {
    ref: site.ref,
    entity: site.entity,
    siteName: site.siteName,
    siteDescription: site.siteDescription,
    pageCount: site.pageCount,
    status: site.status,
    problems: site.problems,
    build: site.build,
    updatedAt: site.updatedAt,
  };
}

interface UploadBody {
  files?: { path?: unknown; content?: unknown; encoding?: unknown; modified?: unknown }[];
}

const MAX_UPLOAD_FILES = 5000;

/** `team-a`, `group:team-a` and `group:default/team-a` are one owner. */
const ownerKey = (owner: string) => owner.toLowerCase().replace(/^group:/, "").replace(/^default\//, "");

function decodeUpload(body: UploadBody): UploadedFile[] {
  if (!body || !Array.isArray(body.files)) throw new ApiError("InputError", "body must be { files: [{ path, content, encoding? }] }");
  if (body.files.length > MAX_UPLOAD_FILES) throw new ApiError("InputError", `at most ${MAX_UPLOAD_FILES} files per upload`);
  const seen = new Set<string>();
  return body.files.map((f, i) => {
    if (typeof f?.path !== "string" || typeof f.content !== "string") throw new ApiError("InputError", `files[${i}]: path and content must be strings`);
    const path = resolveInside("", f.path);
    if (!path || path !== f.path) throw new ApiError("InputError", `files[${i}].path '${f.path.slice(0, 200)}' must be a plain relative path inside the site`);
    if (seen.has(path)) throw new ApiError("InputError", `files[${i}].path '${path}' is listed twice`);
    seen.add(path);
    let bytes: Uint8Array;
    if (f.encoding === "base64") {
      try {
        bytes = Uint8Array.from(atob(f.content), (ch) => ch.charCodeAt(0));
      } catch {
        throw new ApiError("InputError", `files[${i}].content is not base64`);
      }
    } else if (f.encoding === undefined || f.encoding === "utf8") bytes = new TextEncoder().encode(f.content);
    else throw new ApiError("InputError", `files[${i}].encoding must be 'utf8' or 'base64'`);
    const modified = typeof f.modified === "string" && !Number.isNaN(Date.parse(f.modified)) ? new Date(f.modified).toISOString() : null;
    return { path, bytes, modified };
  });
}

export const techdocsRoutes = pluginRouter()
  .get("/sites", { permission: "catalog.entity.read" }, async (c) => {
    const owner = c.req.query("owner")?.toLowerCase();
    const kind = c.req.query("kind")?.toLowerCase();
    const store = siteStore(c.env.plugin);
    const all: SiteRecord[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.listSites(cursor);
      all.push(...page.items.map((r) => r.value));
      cursor = page.nextCursor;
    } while (cursor && all.length < 20_000);
    // Only entities the caller may read: batched catalog reads (at most 1,000 refs each).
    const visible: unknown[] = [];
    for (let i = 0; i < all.length; i += 1000) visible.push(...(await c.env.plugin.catalog.getEntitiesByRefs(all.slice(i, i + 1000).map((s) => s.ref))));
    const items = all
      .filter((s, i) => visible[i])
      .filter((s) => !kind || s.entity.kind === kind)
      .filter((s) => !owner || ownerKey(s.entity.owner ?? "") === ownerKey(owner))
      .map(summary);
    return c.json({ items, totalItems: items.length });
  })
  .get("/sites/:namespace/:kind/:name", { permission: "catalog.entity.read" }, async (c) => {
    const site = await siteOr404(c, refParams(c));
    return c.json({ ...summary(site), nav: site.nav, docsDir: site.docsDir, source: site.source, links: siteLinks(site) });
  })
  .get("/sites/:namespace/:kind/:name/page", { permission: "catalog.entity.read" }, async (c) => {
    const ref = refParams(c);
    const pageId = normalizePageId(c.req.query("path") ?? "");
    if (pageId === null) throw new ApiError("InputError", "path must be a page id like 'guides/setup'");
    // One round of independent reads: the site (and the caller's right to see it), the page row, its HTML.
    const store = siteStore(c.env.plugin);
    const [site, row, blob] = await Promise.all([siteOr404(c, ref), store.getPage(ref, pageId), c.env.plugin.blobs.get(pageBlobKey(ref, pageId))]);
    if (!row) throw new ApiError("NotFoundError", `No page '${pageId}' in the docs of ${ref}`);
    if (!blob) throw new ApiError("NotFoundError", `Page '${pageId}' of ${ref} is not built yet`);
    const page = JSON.parse(await new Response(blob.body).text()) as StoredPage;
    const order = flattenNavItems(site.nav);
    const at = order.findIndex((n) => n.pageId === pageId);
    const titleOf = (n: { pageId?: string; title: string } | undefined) => (n?.pageId === undefined ? null : { id: n.pageId, title: n.title });
    const sourcePath = `${site.docsDir}/${row.mdPath}`;
    return c.json({
      page: { id: pageId, title: row.title, html: page.html, toc: page.toc },
      site: { ref, siteName: site.siteName },
      meta: {
        mdPath: row.mdPath,
        commit: row.commit,
        builtAt: row.builtAt,
        editUrl: site.source.type === "github" ? githubUrl(site.source, "edit", sourcePath) : null,
        viewUrl: site.source.type === "github" ? githubUrl(site.source, "blob", sourcePath) : null,
        prev: at > 0 ? titleOf(order[at - 1]) : null,
        next: at >= 0 && at < order.length - 1 ? titleOf(order[at + 1]) : null,
      },
    });
  })
  .post("/sites/:namespace/:kind/:name", { permission: "plugin.techdocs.write" }, async (c) => {
    const ref = refParams(c);
    const entity = (await c.env.plugin.catalog.getEntityByRef(ref)) as Parameters<typeof resolveDocsSource>[0] | undefined;
    if (!entity) throw new ApiError("NotFoundError", `No entity ${ref} in the catalog`);
    const resolved = resolveDocsSource(entity);
    if (!resolved.ok) throw new ApiError("InputError", `${ref}: ${resolved.message}`);
    if (resolved.source.type !== "local") throw new ApiError("ConflictError", `${ref}'s docs are built from GitHub (${TECHDOCS_REF}); push to its repository instead`);
    let body: UploadBody;
    try {
      body = await c.req.json<UploadBody>();
    } catch (err) {
      if (err instanceof ApiError) throw err;
      throw new ApiError("InputError", "body must be JSON");
    }
    const files = decodeUpload(body);
    const src = await uploadedSiteSource(resolved.source, files);
    // One build of a site at a time, uploads included: two uploads of one site at once would otherwise
    // interleave their page writes and leave a mix of both.
    const lease = await claimBuildLease(c.env.plugin, ref);
    if (!lease) throw new ApiError("ConflictError", `${ref}'s docs are being built by another upload; send them again when it has finished`);
    let result: Awaited<ReturnType<typeof buildSite>>;
    try {
      result = await buildSite(c.env.plugin, src, { entity: entityName(entity as never), trigger: "upload", commits: true, maxPages: Number.MAX_SAFE_INTEGER });
    } finally {
      await lease.release();
    }
    return c.json({ ref, status: result.site.status, rendered: result.rendered, removed: result.removed, build: result.site.build, problems: result.site.problems });
  })
  .post("/sites/:namespace/:kind/:name/rebuild", { permission: "plugin.techdocs.write" }, async (c) => {
    const ref = refParams(c);
    if (!(await c.env.plugin.catalog.getEntityByRef(ref))) throw new ApiError("NotFoundError", `No entity ${ref} in the catalog`);
    await c.env.plugin.jobs.enqueue({ type: "build", ref, trigger: "rebuild" } satisfies BuildJob);
    return c.json({ ref, queued: true }, 202);
  })
  .get("/assets/:namespace/:kind/:name", { permission: "catalog.entity.read" }, async (c) => {
    const ref = refParams(c);
    const path = resolveInside("", c.req.query("path") ?? "");
    if (!path) throw new ApiError("InputError", "path must name a file inside the docs folder");
    await siteOr404(c, ref);
    const row = await siteStore(c.env.plugin).getAsset(ref, path);
    const blob = row ? await c.env.plugin.blobs.get(assetBlobKey(ref, path)) : null;
    if (!row || !blob) throw new ApiError("NotFoundError", `No file '${path}' in the docs of ${ref}`);
    const etag = `"${row.sha}"`;
    const headers: Record<string, string> = {
      "content-type": row.contentType,
      etag,
      "cache-control": "private, max-age=300",
      // Images render inline; anything else downloads rather than opening as a document in the portal's origin.
      "content-disposition": row.contentType.startsWith("image/") ? "inline" : "attachment",
    };
    if (c.req.header("if-none-match") === etag) return c.body(null, 304, headers);
    return c.body(blob.body, 200, headers);
  })
  .get("/search", { permission: "catalog.entity.read" }, async (c) => {
    const q = (c.req.query("q") ?? "").trim();
    const entity = c.req.query("entity")?.toLowerCase();
    const limit = Math.min(Math.max(Number(c.req.query("limit") ?? 20) || 20, 1), 100);
    if (!q) return c.json({ items: [] });
    if (q.length > 200) throw new ApiError("InputError", "q is limited to 200 characters");
    const hits = await c.env.plugin.search.query(q, { entityRef: entity, limit });
    const refs = [...new Set(hits.map((h) => h.entityRef))];
    const visible = new Set((await c.env.plugin.catalog.getEntitiesByRefs(refs)).map((e, i) => (e ? refs[i] : null)).filter(Boolean));
    return c.json({ items: hits.filter((h) => visible.has(h.entityRef)) });
  })
  .get("/highlight.css", { permission: "catalog.entity.read" }, (c) =>
    c.body(highlightCss(), 200, { "content-type": "text/css; charset=utf-8", "cache-control": "private, max-age=86400" }),
  )
  .get("/metadata/techdocs/:namespace/:kind/:name", { permission: "catalog.entity.read" }, async (c) => {
    const site = await siteOr404(c, refParams(c));
    const pages = await siteStore(c.env.plugin).pagesOf(site.ref);
    return c.json({
      site_name: site.siteName,
      site_description: site.siteDescription ?? "",
      etag: site.build?.commit ?? site.updatedAt,
      build_timestamp: Math.floor(Date.parse(site.build?.at ?? site.updatedAt) / 1000),
      files: [...pages.values()].map((p) => `${p.pageId ? `${p.pageId}/` : ""}index.html`).sort(),
    });
  })
  .get("/metadata/entity/:namespace/:kind/:name", { permission: "catalog.entity.read" }, async (c) => {
    const ref = refParams(c);
    const entity = await c.env.plugin.catalog.getEntityByRef(ref);
    if (!entity) throw new ApiError("NotFoundError", `No entity ${ref} in the catalog`);
    const resolved = resolveDocsSource(entity as Parameters<typeof resolveDocsSource>[0]);
    const locationMetadata = !resolved.ok
      ? null
      : resolved.source.type === "github"
        ? { type: "url", target: githubUrl(resolved.source, "tree", "") }
        : { type: "dir", target: resolved.source.path };
    return c.json({ ...entity, locationMetadata });
  });
