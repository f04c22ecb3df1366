/**
 * github_repos: what ingestion knows about each repo (identity, default branch, installation, registered
 * location, last indexed head) and the per-repo lease that keeps two consumers from indexing one repo at once.
 */
export type RepoStatus = "active" | "archived" | "removed";

export interface RepoState {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  installationId: number | null;
  originKey: string;
  headSha: string | null;
  headTime: number | null;
  status: RepoStatus;
  lastError: string | null;
  indexedAt: number | null;
}

const COLUMNS =
  "id, owner, name, default_branch AS defaultBranch, installation_id AS installationId, origin_key AS originKey, head_sha AS headSha, " +
  "head_time AS headTime, status, last_error AS lastError, indexed_at AS indexedAt";

export async function getRepoState(db: D1Database, id: number): Promise<RepoState | null> {
  return db.prepare(`SELECT ${COLUMNS} FROM github_repos WHERE id = ?`).bind(id).first<RepoState>();
}

export async function findRepoStateByName(db: D1Database, owner: string, name: string): Promise<RepoState | null> {
  return db
    .prepare(`SELECT ${COLUMNS} FROM github_repos WHERE lower(owner) = lower(?) AND lower(name) = lower(?) AND status = 'active' ORDER BY updated_at DESC`)
    .bind(owner, name)
    .first<RepoState>();
}

export async function findRepoStateByOrigin(db: D1Database, originKey: string): Promise<RepoState | null> {
  return db.prepare(`SELECT ${COLUMNS} FROM github_repos WHERE origin_key = ? AND status = 'active'`).bind(originKey).first<RepoState>();
}

export async function listReposOfInstallation(db: D1Database, installationId: number): Promise<RepoState[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM github_repos WHERE installation_id = ? AND status = 'active'`).bind(installationId).all<RepoState>();
  return results;
}

/** Active repos in id order, a page at a time (the sweep walks them all). */
export async function listActiveRepos(db: D1Database, afterId: number, limit: number): Promise<RepoState[]> {
  const { results } = await db
    .prepare(`SELECT ${COLUMNS} FROM github_repos WHERE status = 'active' AND id > ? ORDER BY id LIMIT ?`)
    .bind(afterId, limit)
    .all<RepoState>();
  return results;
}

export async function listRepos(db: D1Database, limit: number): Promise<RepoState[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM github_repos ORDER BY owner, name LIMIT ?`).bind(limit).all<RepoState>();
  return results;
}

/** Writes a repo's identity; a changed identity or status resets the indexed head (a full index follows). */
export async function saveRepoState(
  db: D1Database,
  r: { id: number; owner: string; name: string; defaultBranch: string; installationId: number | null; originKey: string; status: RepoStatus; resetHead: boolean },
): Promise<RepoState> {
  const now = Date.now();
  await db
    .prepare(
      `INSERT INTO github_repos (id, owner, name, default_branch, installation_id, origin_key, status, created_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)
       ON CONFLICT(id) DO UPDATE SET owner = excluded.owner, name = excluded.name, default_branch = excluded.default_branch,
         installation_id = COALESCE(excluded.installation_id, github_repos.installation_id), origin_key = excluded.origin_key,
         status = excluded.status, updated_at = excluded.updated_at,
         head_sha = CASE WHEN ?9 THEN NULL ELSE github_repos.head_sha END,
         head_time = CASE WHEN ?9 THEN NULL ELSE github_repos.head_time END`,
    )
    .bind(r.id, r.owner, r.name, r.defaultBranch, r.installationId, r.originKey, r.status, now, r.resetHead ? 1 : 0)
    .run();
  return (await getRepoState(db, r.id))!;
}

/** Records the commit the repo is now completely indexed at. */
export async function setRepoHead(db: D1Database, id: number, sha: string, time: number | null): Promise<void> {
  const now = Date.now();
  await db
    .prepare("UPDATE github_repos SET head_sha = ?, head_time = ?, indexed_at = ?, last_error = NULL, updated_at = ? WHERE id = ?")
    .bind(sha, time, now, now, id)
    .run();
}

export async function setRepoStatus(db: D1Database, id: number, status: RepoStatus): Promise<void> {
  await db.prepare("UPDATE github_repos SET status = ?, head_sha = NULL, head_time = NULL, updated_at = ? WHERE id = ?").bind(status, Date.now(), id).run();
}

export async function setRepoError(db: D1Database, id: number, error: string | null): Promise<void> {
  await db.prepare("UPDATE github_repos SET last_error = ?, updated_at = ? WHERE id = ?").bind(error, Date.now(), id).run();
}

/**
 * Takes the repo's lease if it is free or expired. D1 runs one statement at a time, so the conditional
 * UPDATE is the lock: exactly one caller sees `changes = 1`.
 */
export async function acquireRepoLease(db: D1Database, id: number, owner: string, ttlMs: number): Promise<boolean> {
  const now = Date.now();
  const res = await db
    .prepare("UPDATE github_repos SET lease_owner = ?, lease_until = ? WHERE id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)")
    .bind(owner, now + ttlMs, id, now, owner)
    .run();
  return res.meta.changes === 1;
}

export async function releaseRepoLease(db: D1Database, id: number, owner: string): Promise<void> {
  await db.prepare("UPDATE github_repos SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?").bind(id, owner).run();
}
