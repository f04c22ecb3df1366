/**
 * Brings one repo's catalog files to a commit. What changed is found one of two ways:
 * - lists (cheap path): the paths a push's commits added, modified and removed;
 * - tree (expensive path): the recursive git tree at the commit against the blob id stored for every file
 *   indexed before (files.content_hash holds the git blob id for GitHub files), so only files whose
 *   content differs are fetched. This also covers truncated lists, force pushes and gaps after lost webhooks.
 * STEP 1 plans, STEP 2 reads and processes without writing (the shared walk, catalog/walk.ts: a transient
 * GitHub failure or refused credentials leave the catalog untouched and fail the job; any other failed read,
 * e.g. a file over 4 MB or not UTF-8, is a processing error on that one file, which keeps its entities),
 * STEP 3 applies: removals first (a rename moves an entity from one file to another and the old file must
 * let go first), then files parents-first, then once more any file that hit a conflict with another file of
 * this run. STEP 4 removes files no Location reaches any more (prune.ts).
 */
import { sha1Hex } from "../catalog/hash";
import { walkTree, type WalkedFile, type WalkItem } from "../catalog/walk";
import { applyFile, applyFiles, removeFile, type CommitInfo, type FileReport } from "../catalog/store/apply-file";
import { createLocation, findLocationByKey, listFilesOfOrigin, locationKeyOf, type Location } from "../catalog/store/locations";
import { listLocationEntitiesOfOrigin } from "../catalog/store/location-entities";
import { ApiError } from "../errors";
import type { GithubClient } from "../github/client";
import type { GithubConfig } from "../github/config";
import { getTree } from "../github/api";
import { GithubApiError, RetryableError } from "../github/errors";
import { fileKey, fileUrl, pathOfKey, type RepoCoords } from "../github/keys";
import { matchesCatalogPattern } from "../github/patterns";
import { createRepoReader } from "../github/reader";
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

/** A per-file commit from a push's lists (the last commit that touched the file). */
type FileCommit = { sha: string; time: number | null };

/** D1 allows 1,000 queries per invocation; a file costs two or three, so a big repo is indexed in runs. */
export const MAX_FILES_PER_RUN = 200;
const MAX_FILES = 5000;

export const coordsOf = (r: Pick<RepoState, "owner" | "name" | "defaultBranch">): RepoCoords => ({ owner: r.owner, name: r.name, defaultBranch: r.defaultBranch });

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

/** What the steps of one run share. */
interface Run {
  db: D1Database;
  client: GithubClient;
  cfg: GithubConfig;
  repo: RepoState;
  coords: RepoCoords;
  origin: string;
  location: Location;
  commit: SyncCommit;
  known: Map<string, KnownFile>;
  /** Per-file commits from a push's lists. */
  commits: Map<string, FileCommit>;
}

type KnownFile = Awaited<ReturnType<typeof listFilesOfOrigin>>[number];

interface RunPlan {
  /** Files to read first, deduplicated, at most MAX_FILES_PER_RUN. */
  items: WalkItem[];
  removals: string[];
  /** Path → blob id at the commit; tree runs only. */
  blobs: Map<string, string> | null;
  pending: number;
  complete: boolean;
}

export async function syncRepo(db: D1Database, client: GithubClient, repo: RepoState, commit: SyncCommit, plan: SyncPlan): Promise<SyncResult> {
  const origin = repo.originKey;
  const ensured = await ensureRepoLocation(db, origin);
  // An admin unregistered the repo's location (DELETE /locations): the next change indexes it whole again.
  if (ensured.created && plan.mode === "lists") plan = { mode: "tree" };
  const known = new Map((await listFilesOfOrigin(db, origin)).map((f) => [f.locationKey, f]));
  const run: Run = { db, client, cfg: client.config, repo, coords: coordsOf(repo), origin, location: ensured.location, commit, known, commits: new Map() };

  const planned = await planRun(run, plan);
  const { processed, discovered, readBlobs } = await readRun(run, planned, plan.mode === "tree" && Boolean(plan.force));
  const reports = await applyRun(run, planned.removals, processed, readBlobs);

  // STEP 4: only a tree run sees the whole repo; a list run prunes when a Location entity or file went away.
  const locationsChanged = reports.some((r) => [...r.added, ...r.updated, ...r.removed].some((ref) => ref.startsWith("location:")));
  if (planned.complete && (plan.mode === "tree" || planned.removals.length > 0 || locationsChanged)) {
    for (const r of await pruneUnreachable(db, run.cfg, run.coords, origin, (key) => commitInfo(run, key))) {
      reports.push(r);
      await replaceFileReads(db, origin, r.location, []);
    }
  }

  const problems: SyncProblem[] = reports.flatMap((r) =>
    r.rejected.map((p) => ({ path: pathOfKey(run.cfg, run.coords, r.location)?.path ?? r.location, line: p.line, name: p.name, message: p.message })),
  );
  const { items, removals, pending, complete } = planned;
  return { complete, planned: items.length + removals.length, pending, discovered, read: processed.length, reports, problems };
}

/** STEP 1: what to read and what to remove. */
async function planRun(run: Run, plan: SyncPlan): Promise<RunPlan> {
  const { cfg, coords, known, location } = run;
  const isCatalogPath = (path: string) => matchesCatalogPattern(path, cfg.patterns);
  const rootItem = (path: string, c?: FileCommit): WalkItem => {
    const key = fileKey(cfg, coords, path);
    if (c) run.commits.set(key, c);
    return { key, spec: { type: "url", target: fileUrl(cfg, coords, path) }, parentRef: location.entityRef, parentFile: null, presence: "required" };
  };
  // A known file re-read at its stored place in the tree; the file of the Location pointing at it is filled in below.
  const knownItem = (key: string, c?: FileCommit): WalkItem => {
    if (c) run.commits.set(key, c);
    return { key, spec: { type: "url", target: key.slice("url:".length) }, parentRef: known.get(key)?.parentRef ?? location.entityRef, parentFile: null, presence: "required" };
  };

  let items: WalkItem[] = [];
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
      for (const t of targetsByPath.get(path) ?? []) items.push(knownItem(t));
    }
    for (const { path, commit: c } of plan.upsert) {
      if (isCatalogPath(path)) items.push(rootItem(path, c));
      for (const t of targetsByPath.get(path) ?? []) items.push(knownItem(t, c));
    }
  } else {
    const { repo, commit } = run;
    const tree = await getTree(run.client, repo.owner, repo.name, commit.sha);
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
      if (plan.force || f.contentHash !== sha) items.push(knownItem(key));
    }
  }
  // A file whose placeholders read a file that changed is read again, although its own blob did not change.
  const changed =
    plan.mode === "lists"
      ? (path: string, _sha: string | null) => plan.upsert.some((u) => u.path === path) || plan.remove.includes(path)
      : (path: string, sha: string | null) => (blobs!.get(path) ?? null) !== sha;
  for (const r of await listFileReads(run.db, run.origin)) {
    const p = known.has(r.locationKey) ? pathOfKey(cfg, coords, r.locationKey) : null;
    if (p && changed(r.path, r.sha)) items.push(knownItem(r.locationKey));
  }
  const seen = new Set<string>();
  items = items.filter((i) => !seen.has(i.key) && Boolean(seen.add(i.key)));
  const pending = items.length;
  const complete = items.length <= MAX_FILES_PER_RUN;
  if (!complete) items = items.slice(0, MAX_FILES_PER_RUN);
  if (items.some((i) => i.parentRef !== location.entityRef)) {
    const fileOf = new Map((await listLocationEntitiesOfOrigin(run.db, run.origin)).map((l) => [l.ref, l.locationKey]));
    for (const i of items) i.parentFile = fileOf.get(i.parentRef) ?? null;
  }
  return { items, removals, blobs, pending, complete };
}

const ownPath = (run: Run, key: string) => pathOfKey(run.cfg, run.coords, key)?.path ?? null;

/**
 * STEP 2: read and process, following Location targets breadth first (catalog/walk.ts), writing nothing.
 * Files of this repo are read at the commit.
 */
async function readRun(run: Run, planned: RunPlan, force: boolean) {
  const { blobs } = planned;
  const readBlobs = new Map<string, string | null>();
  const processed: WalkedFile[] = [];
  const { discovered } = await walkTree(
    {
      roots: planned.items,
      origin: run.origin,
      read: createRepoReader(run.client, run.coords, run.commit.sha, readBlobs),
      // GitHub files store their git blob id, so a tree run can tell an unchanged file without reading it.
      hashOf: async (item, content) => {
        const path = ownPath(run, item.key);
        return path !== null ? (readBlobs.get(path) ?? null) : sha1Hex(content);
      },
      // Tree runs know every blob id: a target whose content and parent did not change is not fetched.
      follow: (t) => {
        const path = t.spec.type === "url" ? ownPath(run, t.key) : null;
        const prev = run.known.get(t.key);
        return !(path !== null && blobs && !force && prev?.contentHash === (blobs.get(path) ?? null) && prev?.parentRef === t.parentRef);
      },
      // Transient failures retry the job; GitHub refusing the credentials (GithubApiError) is about the repo,
      // not the file, so the job goes to the dead letters with nothing written rather than advancing past it.
      isFatal: (err) => err instanceof RetryableError || err instanceof GithubApiError,
      maxFiles: MAX_FILES,
    },
    async (wave) => {
      processed.push(...wave);
    },
  );
  return { processed, discovered, readBlobs };
}

function commitInfo(run: Run, key: string): CommitInfo {
  const c = run.commits.get(key);
  const { commit, repo } = run;
  return { sha: c?.sha ?? commit.sha, time: c?.time ?? commit.time, actor: commit.actor, repo: `${repo.owner}/${repo.name}`, path: ownPath(run, key) };
}

/** STEP 3: removals first, then the files read, then once more any file that hit a conflict with another file of this run. */
async function applyRun(run: Run, removals: string[], processed: WalkedFile[], readBlobs: Map<string, string | null>): Promise<FileReport[]> {
  const { db, origin } = run;
  const writeOf = (p: WalkedFile) => ({ file: p.file, originKey: origin, parentRef: p.item.parentRef, contentHash: p.contentHash, commit: commitInfo(run, p.item.key) });
  // Which files of this repo each file's placeholders read, with their blob ids (refresh keys, file-reads.ts);
  // one that failed to read counts as missing, so the file is read again once it changes.
  const placeholderReads = (p: WalkedFile) =>
    p.asked
      .map((spec) => (spec.type === "url" ? ownPath(run, locationKeyOf(spec)) : null))
      .filter((path): path is string => path !== null)
      .map((path) => ({ path, sha: readBlobs.get(path) ?? null }));

  const reports: FileReport[] = [];
  for (const key of removals) {
    reports.push(await removeFile(db, key, origin, commitInfo(run, key)));
    await replaceFileReads(db, origin, key, []);
  }
  const applied = await applyFiles(db, processed.map(writeOf));
  const retry: WalkedFile[] = [];
  for (const [i, p] of processed.entries()) {
    await replaceFileReads(db, origin, p.item.key, placeholderReads(p));
    reports.push(applied[i]);
    if (applied[i].conflicts.length) retry.push(p);
  }
  for (const p of retry) {
    const report = await applyFile(db, writeOf(p));
    reports[reports.findIndex((r) => r.location === report.location)] = report;
  }
  return reports;
}
