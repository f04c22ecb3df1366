/**
 * When docs are (re)built: a catalog change (push, import, catalog:load) upserting an entity with a
 * techdocs-ref queues a build for it, and a push touching a documented folder queues one for each site it
 * touches, pinned to the pushed commit. Each build is a plugin job on the shared queue (onJob), so a burst of
 * pushes is absorbed by the queue and a failed build retries with the queue's backoff. Every build is pinned to
 * a commit (a push's `after`, else the branch's head when the build starts); a build of a commit the site is
 * already built at is skipped, and one build of a site runs at a time (build/lease.ts): the catalog change and
 * the push that both queue a build of a new site render its pages once.
 */
import type { CatalogChange, JsonValue, PluginContext, PluginWebhook } from "../../contract/plugin-worker";
import { buildSite, type BuildResult } from "./build/build-site";
import { claimBuildLease } from "./build/lease";
import { recordEntityProblems } from "./build/entity-problems";
import { parseRef } from "./build/paths";
import { siteStore, type SiteRecord } from "./build/site-store";
import { githubSiteSource } from "./build/sources";
import { annotationOf, githubUrl, repoKey, resolveDocsSource, type DocsSource } from "./build/source-ref";
import { RENDER_VERSION } from "./render/markdown";

export interface BuildJob {
  type: "build";
  ref: string;
  /** Pin the build to this commit (a push's `after`). */
  commit?: string | null;
  trigger: string;
}

type Entity = { kind?: string; metadata?: { name?: string; namespace?: string; title?: string; annotations?: Record<string, string> }; spec?: Record<string, unknown> };

export function entityName(e: Entity) {
  return {
    kind: String(e.kind ?? "").toLowerCase(),
    namespace: String(e.metadata?.namespace ?? "default").toLowerCase(),
    name: String(e.metadata?.name ?? "").toLowerCase(),
    title: typeof e.metadata?.title === "string" ? e.metadata.title : null,
    owner: typeof e.spec?.owner === "string" ? e.spec.owner : null,
    type: typeof e.spec?.type === "string" ? e.spec.type : null,
  };
}

async function linkRepo(ctx: PluginContext, ref: string, source: DocsSource) {
  if (source.type === "github") await siteStore(ctx).putRepoLink(repoKey(source), ref, source.ref, source.path);
}

export async function onCatalogChange(change: CatalogChange, ctx: PluginContext): Promise<void> {
  const store = siteStore(ctx);
  // Cheap path: while the plugin holds no site (a first import, a catalog without docs) nothing can need
  // removing, so the per-entity site lookups below (a D1 read each, for every removed entity and every one
  // without the annotation) are skipped: they were a tenth of the isolate's CPU while loading a large catalog.
  const anySite = (await store.listSites(undefined, 1)).items.length > 0;
  const hasSite = async (ref: string) => anySite && Boolean(await store.getSite(ref));
  for (const ref of change.removed) {
    if (await hasSite(ref.toLowerCase())) await store.removeSite(ref.toLowerCase());
  }
  for (const { ref, entity } of change.upserted) {
    const lower = ref.toLowerCase();
    if (!annotationOf(entity as Entity)) {
      // The annotation was removed: the docs go with it, and so do their build problems on the entity.
      if (await hasSite(lower)) {
        await store.removeSite(lower);
        await ctx.problems.clear(lower);
      }
      continue;
    }
    const resolved = resolveDocsSource(entity as Entity);
    if (resolved.ok && resolved.source.type === "local") continue; // catalog:load uploads these itself
    if (resolved.ok) await linkRepo(ctx, lower, resolved.source);
    await ctx.jobs.enqueue({ type: "build", ref: lower, trigger: "catalog" } satisfies BuildJob);
  }
}

interface PushPayload {
  ref?: string;
  after?: string;
  deleted?: boolean;
  repository?: { full_name?: string; default_branch?: string };
  commits?: { added?: string[]; modified?: string[]; removed?: string[] }[];
}

/** GitHub truncates `commits` at 20 (and file lists at 3000): past that, every site of the repository rebuilds. */
const TRUNCATED_COMMITS = 20;

export async function onWebhook(webhook: PluginWebhook, ctx: PluginContext): Promise<void> {
  if (webhook.event !== "push") return;
  const p = webhook.payload as PushPayload;
  const repo = p.repository?.full_name?.toLowerCase();
  if (!repo || p.deleted || !p.ref?.startsWith("refs/heads/") || !p.after || /^0+$/.test(p.after)) return;
  const branch = p.ref.slice("refs/heads/".length);
  const commits = p.commits ?? [];
  const changed = commits.flatMap((c) => [...(c.added ?? []), ...(c.modified ?? []), ...(c.removed ?? [])]);
  const truncated = commits.length >= TRUNCATED_COMMITS;
  for (const site of await siteStore(ctx).sitesOfRepo(repo)) {
    if (site.branch !== branch) continue;
    const prefix = site.path ? `${site.path}/` : "";
    if (!truncated && !changed.some((f) => f.startsWith(prefix))) continue;
    await ctx.jobs.enqueue({ type: "build", ref: site.ref, commit: p.after, trigger: `push ${p.after.slice(0, 7)}` } satisfies BuildJob);
  }
}

function isBuildJob(p: JsonValue): p is BuildJob & JsonValue {
  return !!p && typeof p === "object" && !Array.isArray(p) && p.type === "build" && typeof p.ref === "string";
}

/** One build pass for one entity; a site with more changed pages than one pass renders queues the next pass. */
export async function onJob(payload: JsonValue, ctx: PluginContext): Promise<void> {
  if (!isBuildJob(payload)) return;
  await runBuild(ctx, payload);
}

/** What one build job did: built (a pass), skipped (that commit is built already), deferred (another build holds the site), or nothing to build. */
export type BuildOutcome = { outcome: "built"; result: BuildResult } | { outcome: "skipped" | "deferred" | "none"; commit?: string | null };

/** A deferred build waits this long before trying again (the lease's holder is mid-pass). */
const DEFER_SECONDS = 5;

type GithubSource = Extract<DocsSource, { type: "github" }>;

const sameSource = (a: DocsSource, b: GithubSource) =>
  a.type === "github" && a.host === b.host && a.owner.toLowerCase() === b.owner.toLowerCase() && a.repo.toLowerCase() === b.repo.toLowerCase() && a.ref === b.ref && a.path === b.path;

/**
 * A finished build of this source at this commit with this renderer: building again would change nothing.
 * A forced rebuild (the rebuild route) always builds.
 */
function builtAlready(site: SiteRecord | undefined, source: GithubSource, commit: string): site is SiteRecord {
  return !!site && site.status !== "pending" && !site.buildInProgress && site.build?.commit === commit && site.build.renderVersion === RENDER_VERSION && sameSource(site.source, source);
}

export async function runBuild(ctx: PluginContext, job: BuildJob): Promise<BuildOutcome> {
  const store = siteStore(ctx);
  if (!parseRef(job.ref)) return { outcome: "none" };
  const entity = (await ctx.catalog.getEntityByRef(job.ref)) as Entity | undefined;
  if (!entity) {
    if (await store.getSite(job.ref)) await store.removeSite(job.ref);
    return { outcome: "none" };
  }
  const name = entityName(entity);
  const resolved = resolveDocsSource(entity);
  if (!resolved.ok || resolved.source.type !== "github") {
    if (!resolved.ok) await recordFailure(ctx, job.ref, name, null, resolved.message);
    return { outcome: "none" };
  }
  const source = resolved.source;
  await linkRepo(ctx, job.ref, source);
  // A push names its commit; a catalog change or a rebuild builds the branch's head, pinned like a push, so
  // every build (a new site's first one too) records the commit it is at. Unknown (the branch is not there):
  // built unpinned, and the listing reports why.
  const commit = job.commit ?? (await ctx.sources.resolveCommit(githubUrl(source, "tree", "")).catch(() => null));
  const lease = await claimBuildLease(ctx, job.ref);
  if (!lease) {
    await ctx.jobs.enqueue({ ...job, commit } satisfies BuildJob, { delaySeconds: DEFER_SECONDS });
    return { outcome: "deferred", commit };
  }
  try {
    const site = await store.getSite(job.ref);
    if (commit && job.trigger !== "rebuild" && builtAlready(site, source, commit)) {
      // The entity may have changed at the same commit (the push built before the catalog took its new file).
      const current = { kind: name.kind, namespace: name.namespace, name: name.name, title: name.title, owner: name.owner, type: name.type };
      if (JSON.stringify(site.entity) !== JSON.stringify(current)) await store.putSite({ ...site, entity: current });
      return { outcome: "skipped", commit };
    }
    let result: BuildResult;
    try {
      result = await buildSite(ctx, githubSiteSource(ctx, source, commit), { entity: name, trigger: job.trigger, commits: true });
    } catch (err) {
      const e = err as { name?: string; message?: string };
      // A definitive answer (the folder or repository is not there, not allowed) is a build problem; anything else retries.
      if (["NotFoundError", "NotAllowedError", "InputError", "PayloadTooLargeError"].includes(e.name ?? "")) {
        await recordFailure(ctx, job.ref, name, source, `could not read the docs folder: ${e.message ?? e.name}`);
        return { outcome: "none" };
      }
      throw err;
    }
    // The next pass continues at the same commit.
    if (result.more) await ctx.jobs.enqueue({ ...job, commit } satisfies BuildJob);
    return { outcome: "built", result };
  } finally {
    await lease.release();
  }
}

async function recordFailure(ctx: PluginContext, ref: string, entity: ReturnType<typeof entityName>, source: DocsSource | null, message: string) {
  const store = siteStore(ctx);
  const previous = await store.getSite(ref);
  await store.putSite({
    ref,
    entity: { kind: entity.kind, namespace: entity.namespace, name: entity.name, title: entity.title, owner: entity.owner, type: entity.type },
    siteName: previous?.siteName ?? entity.title ?? entity.name,
    siteDescription: previous?.siteDescription ?? null,
    source: source ?? previous?.source ?? { type: "local", path: "" },
    docsDir: previous?.docsDir ?? "docs",
    nav: previous?.nav ?? [],
    pageCount: previous?.pageCount ?? 0,
    status: previous?.pageCount ? previous.status : "failed",
    problems: [{ name: "SourceError", message }],
    build: previous?.build ?? null,
    updatedAt: new Date().toISOString(),
  });
  await recordEntityProblems(ctx, ref, [{ name: "SourceError", message }], null);
}
