/**
 * Brings one repo's catalog files to a commit. What changed is found one of two ways:
 * - lists (cheap path): the paths a push's commits added, modified and removed;
 * - tree (expensive path): the recursive git tree at the commit against the blob id stored for every file
 *   indexed before (files.content_hash holds the git blob id for GitHub files), so only files whose
 *   content differs are fetched. This also covers truncated lists, force pushes and gaps after lost webhooks.
 * STEP 1 plans, STEP 2 reads and processes without writing (the shared walk, catalog/walk.ts: a transient
 * GitHub failure or refused credentials leave the catalog untouched and fail the job; any other failed read,
 * e.g. a file over 4 MB or not UTF-8, is a processing error on that one file, which keeps its entities),
 * STEP 3 applies: removals first (a rename moves an entity from one file to another and
 * the old file must let go first), then files parents-first, then once more any file that hit a conflict
 * with another file of this run. STEP 4 removes files no Location reaches any more (prune.ts).
 */
import { sha1Hex } from "../catalog/hash";
import { walkTree, type WalkedFile, type WalkItem } from "../catalog/walk";
import { applyFile, applyFiles, removeFile, type CommitInfo, type FileReport } from "../catalog/store/apply-file";
import { createLocation, findLocationByKey, listFilesOfOrigin, locationKeyOf, type Location } from "../catalog/store/locations";
import { listLocationEntitiesOfOrigin } from "../catalog/store/location-entities";
import { ApiError } from "../errors";
import type { GithubClient } from "../github/client";
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
/** Workers allow six simultaneous outgoing connections. */
const READ_CONCURRENCY = 6;

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
  const commits = new Map<string, FileCommit>();
  const rootItem = (path: string, c?: FileCommit): WalkItem => {
    const key = fileKey(cfg, coords, path);
    if (c) commits.set(key, c);
    return { key, spec: { type: "url", target: fileUrl(cfg, coords, path) }, parentRef: location.entityRef, parentFile: null, presence: "required" };
  };
  // A known file re-read at its stored place in the tree; the file of the Location pointing at it is filled in below.
  const knownItem = (key: string, c?: FileCommit): WalkItem => {
    if (c) commits.set(key, c);
    return { key, spec: { type: "url", target: key.slice("url:".length) }, parentRef: known.get(key)?.parentRef ?? location.entityRef, parentFile: null, presence: "required" };
  };

  // STEP 1: what to read and what to remove.
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
      if (plan.force || f.contentHash !== sha) items.push(knownItem(key));
    }
  }
  // A file whose placeholders read a file that changed is read again, although its own blob did not change.
  const changed =
    plan.mode === "lists"
      ? (path: string, _sha: string | null) => plan.upsert.some((u) => u.path === path) || plan.remove.includes(path)
      : (path: string, sha: string | null) => (blobs!.get(path) ?? null) !== sha;
  for (const r of await listFileReads(db, origin)) {
    const p = known.has(r.locationKey) ? pathOfKey(cfg, coords, r.locationKey) : null;
    if (p && changed(r.path, r.sha)) items.push(knownItem(r.locationKey));
  }
  const seen = new Set<string>();
  items = items.filter((i) => !seen.has(i.key) && Boolean(seen.add(i.key)));
  const pending = items.length;
  const complete = items.length <= MAX_FILES_PER_RUN;
  if (!complete) items = items.slice(0, MAX_FILES_PER_RUN);
  if (items.some((i) => i.parentRef !== location.entityRef)) {
    const fileOf = new Map((await listLocationEntitiesOfOrigin(db, origin)).map((l) => [l.ref, l.locationKey]));
    for (const i of items) i.parentFile = fileOf.get(i.parentRef) ?? null;
  }

  // STEP 2: read and process, following Location targets breadth first (catalog/walk.ts). Files of this repo
  // are read at the commit; a RetryableError ends the run before anything is written, any other failed
  // read is a processing error on that one file.
  const readBlobs = new Map<string, string | null>();
  const reader = createRepoReader(client, coords, commit.sha, readBlobs);
  const ownPath = (key: string) => pathOfKey(cfg, coords, key)?.path ?? null;
  const processed: WalkedFile[] = [];
  const { discovered } = await walkTree(
    {
      roots: items,
      origin,
      read: reader,
      // GitHub files store their git blob id, so a tree run can tell an unchanged file without reading it.
      hashOf: async (item, content) => {
        const path = ownPath(item.key);
        return path !== null ? (readBlobs.get(path) ?? null) : sha1Hex(content);
      },
      // Tree runs know every blob id: a target whose content and parent did not change is not fetched.
      follow: (t) => {
        const path = t.spec.type === "url" ? ownPath(t.key) : null;
        const prev = known.get(t.key);
        return !(path !== null && blobs && !force && prev?.contentHash === (blobs.get(path) ?? null) && prev?.parentRef === t.parentRef);
      },
      // Transient failures retry the job; GitHub refusing the credentials (GithubApiError) is about the repo,
      // not the file, so the job goes to the dead letters with nothing written rather than advancing past it.
      isFatal: (err) => err instanceof RetryableError || err instanceof GithubApiError,
      maxFiles: MAX_FILES,
      concurrency: READ_CONCURRENCY,
    },
    async (wave) => {
      processed.push(...wave);
    },
  );

  // Which files of this repo each file's placeholders read, with their blob ids (refresh keys, file-reads.ts);
  // one that failed to read counts as missing, so the file is read again once it changes.
  const placeholderReads = (p: WalkedFile) =>
    p.asked
      .map((spec) => (spec.type === "url" ? ownPath(locationKeyOf(spec)) : null))
      .filter((path): path is string => path !== null)
      .map((path) => ({ path, sha: readBlobs.get(path) ?? null }));

  // STEP 3: apply.
  const info = (key: string): CommitInfo => {
    const c = commits.get(key);
    return { sha: c?.sha ?? commit.sha, time: c?.time ?? commit.time, actor: commit.actor, repo: `${repo.owner}/${repo.name}`, path: ownPath(key) };
  };
  const writeOf = (p: WalkedFile) => ({ file: p.file, originKey: origin, parentRef: p.item.parentRef, contentHash: p.contentHash, commit: info(p.item.key) });
  const reports: FileReport[] = [];
  for (const key of removals) {
    reports.push(await removeFile(db, key, origin, info(key)));
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
