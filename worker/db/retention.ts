/**
 * Retention for the append-only logs. Every catalog write appends to entity_changes, every audited request to
 * audit_log, every job that failed for good to job_dead_letters; nothing else removes their rows. Left alone,
 * 5 writes a second (the churn the bench runs) add 430,000 change rows a day, and the change log alone would
 * fill D1's 10 GB in months whatever the catalog's size. The reconciliation sweep (Cron Trigger,
 * worker/ingestion/sweep.ts) prunes each log to its age and row budgets, oldest rows first, in bounded chunks.
 *
 * search_keys is pruned too: each key is a search path, and Backstage's `<array path>.<item>` rows make one per
 * distinct array item (`metadata.tags.<tag>`, `spec.dependson.<ref>`), so anyone who can push a catalog file
 * could add keys without end (new tags on every push) that outlive the rows that used them.
 *
 * The rows bound counts ids, not rows: ids only grow (AUTOINCREMENT) and rows only leave from the old end, so
 * "id > newest id − keepRows" keeps at most keepRows rows.
 */

import { CHANGE_LOG_RETENTION_DAYS } from "../../contract/catalog-api";

export interface LogRetention {
  table: string;
  /** The column holding the row's time in epoch ms, with an index (the age cut is one index seek). */
  time: string;
  keepDays: number;
  keepRows: number;
}

/** Table and column names are constants here, never input. */
export const LOG_RETENTION: readonly LogRetention[] = [
  { table: "entity_changes", time: "created_at", keepDays: CHANGE_LOG_RETENTION_DAYS, keepRows: 1_000_000 },
  { table: "audit_log", time: "at", keepDays: 400, keepRows: 1_000_000 },
  { table: "job_dead_letters", time: "created_at", keepDays: 30, keepRows: 10_000 },
];

/** Rows one DELETE removes, and DELETEs one log gets per sweep: a sweep every 10 minutes removes up to 50,000 rows a log. */
export const PRUNE_CHUNK = 5_000;
export const PRUNE_STATEMENTS = 10;

const DAY_MS = 86_400_000;

/**
 * Runs `step` (one bounded DELETE, returning the rows it removed) until a step removes fewer than `chunk` rows or
 * `statements` steps have run. Returns the rows removed in all.
 */
export async function deleteInChunks(step: () => Promise<number>, chunk: number, statements: number): Promise<number> {
  let removed = 0;
  for (let i = 0; i < statements; i++) {
    const n = await step();
    removed += n;
    if (n < chunk) break;
  }
  return removed;
}

/**
 * Deletes each log's rows older than keepDays or outside its newest keepRows ids, in chunks of `chunk` rows, at
 * most `statements` DELETEs a log. Returns the rows removed per table. Ids and times grow together, so the
 * age cut is the id of the newest row older than the cutoff, read backwards on the time index.
 */
export async function pruneLogs(
  db: D1Database,
  now: number,
  { logs = LOG_RETENTION, chunk = PRUNE_CHUNK, statements = PRUNE_STATEMENTS }: { logs?: readonly LogRetention[]; chunk?: number; statements?: number } = {},
): Promise<Record<string, number>> {
  const removed: Record<string, number> = {};
  for (const log of logs) {
    const cut = await db
      .prepare(
        `SELECT max(coalesce((SELECT id FROM ${log.table} WHERE ${log.time} < ?1 ORDER BY ${log.time} DESC, id DESC LIMIT 1), 0),
           coalesce((SELECT max(id) FROM ${log.table}), 0) - ?2) AS cut`,
      )
      .bind(now - log.keepDays * DAY_MS, log.keepRows)
      .first<{ cut: number }>();
    removed[log.table] = 0;
    if (!cut || cut.cut <= 0) continue;
    const del = db.prepare(`DELETE FROM ${log.table} WHERE id IN (SELECT id FROM ${log.table} WHERE id <= ?1 ORDER BY id LIMIT ?2)`).bind(cut.cut, chunk);
    removed[log.table] = await deleteInChunks(async () => (await del.run()).meta.changes, chunk, statements);
  }
  return removed;
}

/**
 * Deletes search_keys rows no search row uses, walking the key ids in windows of `window` (one DELETE each, at
 * most `statements`), so each key is looked at once a sweep (up to a million keys; past that, a few sweeps). A
 * write inserts its keys and the rows that use them in one batch (one transaction), so a key in use is never seen
 * unused; a key deleted here is inserted again by the next write that needs it. Each key costs one seek on the
 * value index.
 */
export async function pruneUnusedSearchKeys(db: D1Database, { window = 10_000, statements = 100 } = {}): Promise<number> {
  const top = await db.prepare("SELECT coalesce(max(id), 0) AS id FROM search_keys").first<{ id: number }>();
  const del = db.prepare(
    "DELETE FROM search_keys WHERE id > ?1 AND id <= ?2 AND NOT EXISTS (SELECT 1 FROM search_rows r WHERE r.key_id = search_keys.id)",
  );
  const windows = Math.ceil((top?.id ?? 0) / window);
  // More windows than a sweep may take: start at a random one, so every key is reached over a few sweeps.
  const start = windows > statements ? Math.floor(Math.random() * windows) : 0;
  let removed = 0;
  for (let i = 0; i < Math.min(windows, statements); i++) {
    const after = ((start + i) % windows) * window;
    removed += (await del.bind(after, after + window).run()).meta.changes;
  }
  return removed;
}
