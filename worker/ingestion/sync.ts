/**
 * Brings one repo's catalog files to a commit. What changed is found one of two ways:
 * - lists (cheap path): the paths a push's commits added, modified and removed;
 * - tree (expensive path): the recursive git tree at the commit against the blob id stored for every file
 *   indexed before (files.content_hash holds the git blob id for GitHub files), so only files whose
 *   content differs are fetched. This also covers truncated lists, force pushes and gaps after lost webhooks.
 * STEP 1 plans, STEP 2 reads and processes without writing (a failed fetch leaves the catalog untouched and
 * the job is retried), STEP 3 applies: removals first (a rename moves an entity from one file to another and
 * the old file must let go first), then files parents-first, then once more any file that hit a conflict
 * with another file of this run. STEP 4 removes files no Location reaches any more (prune.ts).
 */
import type { FileReader, LocationSpec, ProcessedFile, ProcessingProblem } from "../catalog/types";
import { processFile } from "../catalog/process-file";
import { sha1Hex } from "../catalog/hash";
import { applyFile, applyFiles, removeFile, type CommitInfo, type FileReport } from "../catalog/store/apply-file";
import { createLocation, findLocationByKey, listFilesOfOrigin, type Location } from "../catalog/store/locations";
import { ApiError } from "../errors";
import type { GithubClient } from "../github/client";
import { getTree } from "../github/api";
import { GithubApiError, RetryableError } from "../github/errors";
import { fileKey, fileUrl, pathOfKey, type RepoCoords } from "../github/keys";
import { matchesCatalogPattern } from "../github/patterns";
import { createRepoReader, readRepoFile } from "../github/reader";
import { pruneUnreachable } from "./prune";
import { listFileReads, replaceFileReads } from "./store/file-reads";
import type { RepoState } from "./store/repos";

export interface SyncCommit {
  sha: string;
  /** Commit time, epoch ms. */
  time: number | null;
  /** Who pushed. */
  actor: string | null;
}

export type SyncPlan =
  | { mode: "lists"; upsert: { path: string; commit?: { sha: string; time: number | null } }[]; remove: string[] }
  | { mode: "tree"; force?: boolean };

export interface SyncProblem {
  path: string;
  line: number | null;
  name: string;
  message: string;
}

export interface SyncResult {
  /** False when the run stopped at MAX_FILES_PER_RUN; the caller queues the rest. */
  complete: boolean;
  planned: number;
  /** Files this repo needed at the start of the run (before MAX_FILES_PER_RUN cut it). */
  pending: number;
  /** Location targets found while reading. */
  discovered: number;
  read: number;
  reports: FileReport[];
  problems: SyncProblem[];
}

interface Item {
  key: string;
  spec: LocationSpec;
  /** Repo path when the file is in this repo (read at the commit); null for anything else. */
  path: string | null;
  parentRef: string;
  presence: "required" | "optional";
  commit?: { sha: string; time: number | null };
}

interface Processed {
  item: Item;
  file: ProcessedFile;
  contentHash: string | null;
  /** Repo files its placeholders read, with their blob ids. */
  reads: { path: string; sha: string | null }[];
}

/** D1 allows 1,000 queries per invocation; a file costs two or three, so a big repo is indexed in runs. */
export const MAX_FILES_PER_RUN = 200;
const MAX_FILES = 5000;
/** Workers allow six simultaneous outgoing connections. */
const READ_CONCURRENCY = 6;

export const coordsOf = (r: Pick<RepoState, "owner" | "name" | "defaultBranch">): RepoCoords => ({ owner: r.owner, name: r.name, defaultBranch: r.defaultBranch });

async function mapPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}

/** The repo's registered location (its origin): found, or registered on first use (`created`). */
export async function ensureRepoLocation(db: D1Database, originKey: string): Promise<{ location: Location; created: boolean }> {
  const found = await findLocationByKey(db, originKey);
  if (found) return { location: found, created: false };
  try {
    return { location: await createLocation(db, { type: "url", target: originKey.slice("url:".length) }), created: true };
  } catch (err) {
    // Two jobs registering the same repo at once: the loser uses the winner's row.
    if (err instanceof ApiError && err.name === "ConflictError") return { location: (await findLocationByKey(db, originKey))!, created: false };
    throw err;
  }
}

export async function syncRepo(db: D1Database, client: GithubClient, repo: RepoState, commit: SyncCommit, plan: SyncPlan): Promise<SyncResult> {
  const cfg = client.config;
  const coords = coordsOf(repo);
  const origin = repo.originKey;
  const ensured = await ensureRepoLocation(db, origin);
  const location = ensured.location;
  // An admin unregistered the repo's location (DELETE /locations): the next change indexes it whole again.
  if (ensured.created && plan.mode === "lists") plan = { mode: "tree" };
  const known = new Map((await listFilesOfOrigin(db, origin)).map((f) => [f.locationKey, f]));
  const isCatalogPath = (path: string) => matchesCatalogPattern(path, cfg.patterns);
  const force = plan.mode === "tree" && Boolean(plan.force);
  const rootItem = (path: string, c?: Item["commit"]): Item => ({
    key: fileKey(cfg, coords, path),
    spec: { type: "url", target: fileUrl(cfg, coords, path) },
    path,
    parentRef: location.entityRef,
    presence: "required",
    commit: c,
  });
  const knownItem = (key: string, path: string, c?: Item["commit"]): Item => ({
    key,
    spec: { type: "url", target: key.slice("url:".length) },
    path,
    parentRef: known.get(key)?.parentRef ?? location.entityRef,
    presence: "required",
    commit: c,
  });

  // STEP 1: what to read and what to remove.
  let items: Item[] = [];
  const removals: string[] = [];
  let blobs: Map<string, string> | null = null;
  if (plan.mode === "lists") {
    const targetsByPath = new Map<string, string[]>();
    for (const key of known.keys()) {
      const p = pathOfKey(cfg, coords, key);
      if (p?.form === "tree") targetsByPath.set(p.path, [...(targetsByPath.get(p.path) ?? []), key]);
    }
    for (const path of plan.remove) {
      const key = fileKey(cfg, coords, path);
      if (known.has(key)) removals.push(key);
      // A deleted Location target is read again: Backstage keeps its entities and records why.
      for (const t of targetsByPath.get(path) ?? []) items.push(knownItem(t, path));
    }
    for (const { path, commit: c } of plan.upsert) {
      if (isCatalogPath(path)) items.push(rootItem(path, c));
      for (const t of targetsByPath.get(path) ?? []) items.push(knownItem(t, path, c));
    }
  } else {
    const tree = await getTree(client, repo.owner, repo.name, commit.sha);
    if (!tree) throw new GithubApiError(404, `Commit ${commit.sha} of ${repo.owner}/${repo.name} has no tree`);
    blobs = new Map(tree.map((e) => [e.path, e.sha]));
    for (const [path, sha] of blobs) {
      if (isCatalogPath(path) && (plan.force || known.get(fileKey(cfg, coords, path))?.contentHash !== sha)) items.push(rootItem(path));
    }
    for (const [key, f] of known) {
      const p = pathOfKey(cfg, coords, key);
      if (!p) continue;
      if (p.form === "blob") {
        if (isCatalogPath(p.path) && !blobs.has(p.path)) removals.push(key);
        continue;
      }
      const sha = blobs.get(p.path) ?? null;
      if (plan.force || f.contentHash !== sha) items.push(knownItem(key, p.path));
    }
  }
  // A file whose placeholders read a file that changed is read again, although its own blob did not change.
  const changed =
    plan.mode === "lists"
      ? (path: string, _sha: string | null) => plan.upsert.some((u) => u.path === path) || plan.remove.includes(path)
      : (path: string, sha: string | null) => (blobs!.get(path) ?? null) !== sha;
  for (const r of await listFileReads(db, origin)) {
    const p = known.has(r.locationKey) ? pathOfKey(cfg, coords, r.locationKey) : null;
    if (p && changed(r.path, r.sha)) items.push(knownItem(r.locationKey, p.path));
  }
  const seen = new Set<string>();
  items = items.filter((i) => !seen.has(i.key) && Boolean(seen.add(i.key)));
  const pending = items.length;
  const complete = items.length <= MAX_FILES_PER_RUN;
  if (!complete) items = items.slice(0, MAX_FILES_PER_RUN);

  // STEP 2: read and process, following Location targets breadth first.
  const readBlobs = new Map<string, string | null>();
  const reader = createRepoReader(client, coords, commit.sha, readBlobs);
  const processed: Processed[] = [];
  let discovered = 0;
  let level = items;
  while (level.length && seen.size <= MAX_FILES) {
    const results = await mapPool(level, READ_CONCURRENCY, (item) => readAndProcess(client, repo, commit.sha, item, reader, readBlobs, origin));
    const next: Item[] = [];
    for (const r of results) {
      if (!r) continue;
      processed.push(r);
      for (const t of r.file.locationTargets) {
        const key = `${t.location.type}:${t.location.target}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const own = t.location.type === "url" ? pathOfKey(cfg, coords, key) : null;
        // Tree runs know every blob id: a target whose content and parent did not change is not fetched.
        const prev = known.get(key);
        if (own && blobs && !force && prev?.contentHash === (blobs.get(own.path) ?? null) && prev?.parentRef === t.parentRef) continue;
        next.push({ key, spec: t.location, path: own?.path ?? null, parentRef: t.parentRef, presence: t.presence });
      }
    }
    discovered += next.length;
    level = next;
  }

  // STEP 3: apply.
  const info = (key: string, c?: Item["commit"]): CommitInfo => ({
    sha: c?.sha ?? commit.sha,
    time: c?.time ?? commit.time,
    actor: commit.actor,
    repo: `${repo.owner}/${repo.name}`,
    path: pathOfKey(cfg, coords, key)?.path ?? null,
  });
  const reports: FileReport[] = [];
  for (const key of removals) {
    reports.push(await removeFile(db, key, origin, info(key)));
    await replaceFileReads(db, origin, key, []);
  }
  const retry: Processed[] = [];
  const applied = await applyFiles(
    db,
    processed.map((p) => ({ file: p.file, originKey: origin, parentRef: p.item.parentRef, contentHash: p.contentHash, commit: info(p.item.key, p.item.commit) })),
  );
  for (const [i, p] of processed.entries()) {
    const report = applied[i];
    await replaceFileReads(db, origin, p.item.key, p.reads);
    reports.push(report);
    if (report.rejected.some((x) => x.name === "ConflictError" && x.message.includes("already provided by"))) retry.push(p);
  }
  for (const p of retry) {
    const report = await applyFile(db, { file: p.file, originKey: origin, parentRef: p.item.parentRef, contentHash: p.contentHash, commit: info(p.item.key, p.item.commit) });
    reports[reports.findIndex((r) => r.location === report.location)] = report;
  }

  // STEP 4: only a tree run sees the whole repo; a list run prunes when a Location entity or file went away.
  const locationsChanged = reports.some((r) => [...r.added, ...r.updated, ...r.removed].some((ref) => ref.startsWith("location:")));
  if (complete && (plan.mode === "tree" || removals.length > 0 || locationsChanged)) {
    for (const r of await pruneUnreachable(db, cfg, coords, origin, info)) {
      reports.push(r);
      await replaceFileReads(db, origin, r.location, []);
    }
  }

  const problems: SyncProblem[] = reports.flatMap((r) =>
    r.rejected.map((p) => ({ path: pathOfKey(cfg, coords, r.location)?.path ?? r.location, line: p.line, name: p.name, message: p.message })),
  );
  return { complete, planned: items.length + removals.length, pending, discovered, read: processed.length, reports, problems };
}

async function readAndProcess(
  client: GithubClient,
  repo: RepoState,
  sha: string,
  item: Item,
  reader: FileReader,
  readBlobs: Map<string, string | null>,
  origin: string,
): Promise<Processed | null> {
  // A transient GitHub failure while resolving a placeholder must retry the job, not become a processing error.
  let transient: unknown = null;
  const asked: LocationSpec[] = [];
  const guarded: FileReader = async (spec) => {
    asked.push(spec);
    try {
      return await reader(spec);
    } catch (err) {
      if (err instanceof RetryableError) transient = err;
      throw err;
    }
  };
  let content: string | undefined;
  let contentHash: string | null = null;
  let readError: string | null = null;
  if (item.path !== null) {
    const file = await readRepoFile(client, repo.owner, repo.name, item.path, sha);
    content = file?.content;
    contentHash = file?.sha ?? null;
  } else {
    try {
      content = await guarded(item.spec);
      if (content !== undefined) contentHash = await sha1Hex(content);
    } catch (err) {
      if (transient) throw transient;
      readError = `Unable to read ${item.key}: ${(err as Error).message}`;
    }
  }
  if (content === undefined) {
    if (item.presence === "optional" && !readError) return null;
    // Backstage keeps what an unreadable file emitted before and records why on the file.
    const problem: ProcessingProblem = { location: item.key, docIndex: null, entityRef: null, field: null, line: null, name: "NotFoundError", message: readError ?? `Unable to read ${item.key}, no such file` };
    return { item, contentHash: null, reads: [], file: { locationKey: item.key, entities: [], problems: [problem], complete: false, keepRefs: [], locationTargets: [] } };
  }
  asked.length = 0;
  const file = await processFile({ location: item.spec, origin, content, read: guarded });
  if (transient) throw transient;
  const reads = asked
    .map((spec) => (spec.type === "url" ? pathOfKey(client.config, coordsOf(repo), `url:${spec.target}`)?.path : undefined))
    .filter((path): path is string => path !== undefined && readBlobs.has(path))
    .map((path) => ({ path, sha: readBlobs.get(path) ?? null }));
  return { item, file, contentHash, reads };
}
