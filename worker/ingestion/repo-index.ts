/**
 * The ordering rule and repo lifecycle. Each repo records the default-branch commit it is completely indexed
 * at (`head_sha`); every push, sweep and import is decided against it, under a per-repo lease:
 * - cheap path: a push whose `before` is the indexed head is its direct successor; apply its file lists;
 * - otherwise ask GitHub how the commit relates to the indexed head: ahead (a gap, e.g. a lost or late
 *   earlier push) → index the tree; behind or identical → a late delivery of an older push, skip it;
 *   diverged (force push) → index whatever the branch points at now, which may be this commit or a newer one.
 * So a late delivery never overwrites newer state, and the catalog converges on the branch head whatever
 * order deliveries arrive in. Identity changes (rename, transfer, new default branch) re-key the repo:
 * everything under the old URLs is removed and the repo is indexed again under the new ones; a delivery's
 * identity is taken only when it matches what is stored or GitHub confirms it, so a late push from before
 * a rename never moves the repo back.
 */
import { deleteLocation, findLocationByKey } from "../catalog/store/locations";
import type { GithubClient } from "../github/client";
import { compareCommits, getBranchHead, getCommit, getRepoById } from "../github/api";
import { RepoBusyError } from "../github/errors";
import { originKeyOf } from "../github/keys";
import { syncRepo, type SyncPlan, type SyncResult } from "./sync";
import { deleteFileReadsOfOrigin } from "./store/file-reads";
import { acquireRepoLease, getRepoState, releaseRepoLease, saveRepoState, setRepoHead, setRepoStatus, type RepoState } from "./store/repos";

export interface RepoIdentity {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  installationId?: number | null;
}

export interface IndexRequest {
  /** Commit to index; null for the branch's current head. */
  sha: string | null;
  /** The push's `before`: equal to the indexed head means the cheap path may be taken. */
  before?: string | null;
  forced?: boolean;
  time?: number | null;
  actor?: string | null;
  /** The push's file lists; null when they cannot be trusted (truncated, missing). */
  lists?: Extract<SyncPlan, { mode: "lists" }> | null;
  /** Re-read every file even when its blob id is unchanged (a manual refresh). */
  force?: boolean;
}

export type IndexOutcome =
  | { status: "skipped"; reason: string }
  | { status: "indexed"; sha: string; plan: SyncPlan["mode"]; result: SyncResult };

const LEASE_MS = 5 * 60_000;
const LEASE_WAIT_MS = 10_000;

/** Runs `fn` holding the repo's lease; waits a little for another holder, then lets the queue retry. */
export async function withRepoLease<T>(db: D1Database, id: number, fn: () => Promise<T>): Promise<T> {
  const owner = crypto.randomUUID();
  const deadline = Date.now() + LEASE_WAIT_MS;
  while (!(await acquireRepoLease(db, id, owner, LEASE_MS))) {
    if (Date.now() > deadline) throw new RepoBusyError(`Repository ${id} is being indexed by another job`);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await fn();
  } finally {
    await releaseRepoLease(db, id, owner);
  }
}

/** Removes everything indexed from a repo (deleted, archived, access removed) and records why. */
export async function removeRepo(db: D1Database, repo: RepoState, status: "archived" | "removed"): Promise<void> {
  const location = await findLocationByKey(db, repo.originKey);
  if (location) await deleteLocation(db, location.id);
  await deleteFileReadsOfOrigin(db, repo.originKey);
  await setRepoStatus(db, repo.id, status);
}

/**
 * The repo's state row for this identity: created on first sight; on a rename, transfer or default-branch
 * change the old URLs' entities are removed and the head is reset, so the next index re-keys everything.
 * A payload's identity can be older than what is stored (a late or replayed delivery), so one that differs
 * from the stored identity, or names a repo that was archived or removed, is checked with GitHub first
 * (`confirmed`: it came from GitHub just now). Null when GitHub no longer serves the repo, or it is archived.
 */
export async function ensureRepo(db: D1Database, client: GithubClient, r: RepoIdentity, confirmed = false): Promise<RepoState | null> {
  const prev = await getRepoState(db, r.id);
  const differs = prev !== null && (prev.owner !== r.owner || prev.name !== r.name || prev.defaultBranch !== r.defaultBranch || prev.status !== "active");
  let identity = r;
  if (differs && !confirmed) {
    const gh = await getRepoById(client, r.id);
    if (!gh || gh.archived) return null;
    identity = { id: gh.id, owner: gh.owner, name: gh.name, defaultBranch: gh.defaultBranch, installationId: r.installationId };
  }
  const originKey = originKeyOf(client.config, identity);
  const moved = prev !== null && prev.originKey !== originKey;
  if (prev && moved) {
    const location = await findLocationByKey(db, prev.originKey);
    if (location) await deleteLocation(db, location.id);
    await deleteFileReadsOfOrigin(db, prev.originKey);
  }
  if (prev && !moved && prev.status === "active" && (identity.installationId == null || prev.installationId === identity.installationId)) return prev;
  return saveRepoState(db, {
    id: identity.id,
    owner: identity.owner,
    name: identity.name,
    defaultBranch: identity.defaultBranch,
    installationId: identity.installationId ?? null,
    originKey,
    status: "active",
    resetHead: moved || (prev !== null && prev.status !== "active"),
  });
}

/** Decides how (or whether) to bring the repo to the requested commit, then does it. Call under the lease. */
export async function indexRepo(db: D1Database, client: GithubClient, repoId: number, req: IndexRequest): Promise<IndexOutcome> {
  const repo = (await getRepoState(db, repoId))!;
  const indexed = repo.headSha;
  let target = req.sha;
  let time = req.time ?? null;
  if (target === null) {
    target = await getBranchHead(client, repo.owner, repo.name, repo.defaultBranch);
    if (!target) return { status: "skipped", reason: `${repo.owner}/${repo.name} has no branch ${repo.defaultBranch} (empty repository?)` };
    time = null;
  }
  if (target === indexed && !req.force) return { status: "skipped", reason: `already indexed at ${target.slice(0, 12)}` };

  let mode: "lists" | "tree" = "tree";
  if (indexed && req.before === indexed && !req.forced && req.lists && !req.force) {
    mode = "lists";
  } else if (indexed && req.before !== indexed && target !== indexed) {
    const status = await compareCommits(client, repo.owner, repo.name, indexed, target);
    if (status === "behind" || status === "identical") {
      if (!req.force) return { status: "skipped", reason: `stale: ${target.slice(0, 12)} is older than the indexed ${indexed.slice(0, 12)}` };
    } else if (status !== "ahead") {
      // Diverged, or the indexed commit is gone: only the branch head says which history won.
      const head = await getBranchHead(client, repo.owner, repo.name, repo.defaultBranch);
      if (!head || head === indexed) return { status: "skipped", reason: `stale: the branch is at ${head?.slice(0, 12) ?? "nothing"}, not ${target.slice(0, 12)}` };
      if (head !== target) {
        target = head;
        time = null;
      }
    }
  }
  if (time === null) time = (await getCommit(client, repo.owner, repo.name, target))?.time ?? null;
  const plan: SyncPlan = mode === "lists" ? req.lists! : { mode: "tree", force: req.force };
  const result = await syncRepo(db, client, repo, { sha: target, time, actor: req.actor ?? null }, plan);
  if (result.complete) await setRepoHead(db, repo.id, target, time);
  return { status: "indexed", sha: target, plan: plan.mode, result };
}
