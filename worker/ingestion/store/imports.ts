/**
 * github_imports: progress of a backfill. The listing job adds repos as it pages through them; each repo's
 * sync adds its files and marks the repo done; the import is done once listing finished and every repo is.
 */
export interface ImportProgress {
  id: string;
  target: string;
  status: "running" | "done" | "failed";
  listed: boolean;
  reposTotal: number;
  reposDone: number;
  filesTotal: number;
  filesDone: number;
  entities: number;
  errors: number;
  message: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

type Row = Omit<ImportProgress, "listed" | "startedAt" | "updatedAt" | "finishedAt"> & { listed: number; startedAt: number; updatedAt: number; finishedAt: number | null };
const COLUMNS =
  "id, target, status, listed, repos_total AS reposTotal, repos_done AS reposDone, files_total AS filesTotal, files_done AS filesDone, entities, errors, message, " +
  "started_at AS startedAt, updated_at AS updatedAt, finished_at AS finishedAt";
const iso = (ms: number) => new Date(ms).toISOString();
const toProgress = (r: Row): ImportProgress => ({
  ...r,
  listed: r.listed === 1,
  startedAt: iso(r.startedAt),
  updatedAt: iso(r.updatedAt),
  finishedAt: r.finishedAt === null ? null : iso(r.finishedAt),
});

/**
 * Completes the import in the same statement that changes its counters, so no update is lost between two.
 * SQLite evaluates every SET expression on the old row, hence the new values are spelled out here.
 */
const finish = (listed: string, done: string, total: string) => {
  const complete = `status = 'running' AND ${listed} = 1 AND ${done} >= ${total}`;
  return `status = CASE WHEN ${complete} THEN 'done' ELSE status END, finished_at = CASE WHEN ${complete} THEN ?1 ELSE finished_at END, updated_at = ?1`;
};

export async function createImport(db: D1Database, target: string): Promise<ImportProgress> {
  const id = crypto.randomUUID();
  const now = Date.now();
  await db
    .prepare(
      `INSERT INTO github_imports (id, target, status, listed, repos_total, repos_done, files_total, files_done, entities, errors, started_at, updated_at)
       VALUES (?, ?, 'running', 0, 0, 0, 0, 0, 0, 0, ?, ?)`,
    )
    .bind(id, target, now, now)
    .run();
  return (await getImport(db, id))!;
}

export async function getImport(db: D1Database, id: string): Promise<ImportProgress | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM github_imports WHERE id = ?`).bind(id).first<Row>();
  return row ? toProgress(row) : null;
}

export async function listImports(db: D1Database, limit: number): Promise<ImportProgress[]> {
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM github_imports ORDER BY started_at DESC LIMIT ?`).bind(limit).all<Row>();
  return results.map(toProgress);
}

export async function addImportRepos(db: D1Database, id: string, repos: number, listed: boolean): Promise<void> {
  await db
    .prepare(`UPDATE github_imports SET repos_total = repos_total + ?2, listed = max(listed, ?3), ${finish("max(listed, ?3)", "repos_done", "repos_total + ?2")} WHERE id = ?4`)
    .bind(Date.now(), repos, listed ? 1 : 0, id)
    .run();
}

export async function addImportFiles(db: D1Database, id: string, p: { total?: number; done?: number; entities?: number; errors?: number }): Promise<void> {
  await db
    .prepare(
      `UPDATE github_imports SET files_total = files_total + ?2, files_done = files_done + ?3, entities = entities + ?4, errors = errors + ?5, updated_at = ?1 WHERE id = ?6`,
    )
    .bind(Date.now(), p.total ?? 0, p.done ?? 0, p.entities ?? 0, p.errors ?? 0, id)
    .run();
}

export async function markImportRepoDone(db: D1Database, id: string): Promise<void> {
  await db.prepare(`UPDATE github_imports SET repos_done = repos_done + 1, ${finish("listed", "repos_done + 1", "repos_total")} WHERE id = ?2`).bind(Date.now(), id).run();
}

export async function failImport(db: D1Database, id: string, message: string): Promise<void> {
  const now = Date.now();
  await db.prepare("UPDATE github_imports SET status = 'failed', message = ?, finished_at = ?, updated_at = ? WHERE id = ?").bind(message.slice(0, 2000), now, now, id).run();
}
