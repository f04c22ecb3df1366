/**
 * Plugin storage SQL: rows of plugin_rows (migration 0011), always scoped to one plugin id and table, and
 * the per-plugin usage counters triggers keep in plugin_usage. Quotas are checked inside the writing
 * statement itself, so two concurrent writes cannot both slip under the limit.
 */

export interface RowLimits {
  maxRows: number;
  maxBytes: number;
}

export interface StoredRowText {
  key: string;
  value: string;
  updatedAt: number;
}

/** The keys in [lo, hi) (hi null: unbounded), after `after` when given. */
export interface KeyRange {
  lo: string;
  hi: string | null;
  after?: string;
}

export async function getRow(db: D1Database, pluginId: string, table: string, key: string): Promise<string | null> {
  const row = await db.prepare("SELECT value FROM plugin_rows WHERE plugin_id = ? AND tbl = ? AND key = ?").bind(pluginId, table, key).first<{ value: string }>();
  return row?.value ?? null;
}

/**
 * Inserts or replaces one row when the plugin's usage after the write stays within `limits`; false when it
 * would not (nothing written). `bytes` is what the row counts against the byte quota (key + value).
 */
export async function putRow(db: D1Database, pluginId: string, table: string, key: string, value: string, bytes: number, limits: RowLimits, now: number): Promise<boolean> {
  const res = await db
    .prepare(
      `INSERT INTO plugin_rows (plugin_id, tbl, key, value, bytes, updated_at)
       SELECT ?1, ?2, ?3, ?4, ?5, ?6
       WHERE (SELECT COALESCE((SELECT row_count FROM plugin_usage WHERE plugin_id = ?1), 0)
                + (CASE WHEN EXISTS (SELECT 1 FROM plugin_rows WHERE plugin_id = ?1 AND tbl = ?2 AND key = ?3) THEN 0 ELSE 1 END)) <= ?7
         AND (SELECT COALESCE((SELECT byte_count FROM plugin_usage WHERE plugin_id = ?1), 0)
                - COALESCE((SELECT bytes FROM plugin_rows WHERE plugin_id = ?1 AND tbl = ?2 AND key = ?3), 0) + ?5) <= ?8
       ON CONFLICT (plugin_id, tbl, key) DO UPDATE SET value = excluded.value, bytes = excluded.bytes, updated_at = excluded.updated_at`,
    )
    .bind(pluginId, table, key, value, bytes, now, limits.maxRows, limits.maxBytes)
    .run();
  return res.meta.changes > 0;
}

/**
 * Inserts one row only when its key is absent and the plugin's usage after it stays within `limits`: "created"
 * when this statement wrote it, else whether the key was taken or the quota full. One statement, so of two
 * concurrent calls for one key exactly one creates it.
 */
export async function insertRow(db: D1Database, pluginId: string, table: string, key: string, value: string, bytes: number, limits: RowLimits, now: number): Promise<"created" | "exists" | "full"> {
  const [res, exists] = await db.batch([
    db
      .prepare(
        `INSERT INTO plugin_rows (plugin_id, tbl, key, value, bytes, updated_at)
         SELECT ?1, ?2, ?3, ?4, ?5, ?6
         WHERE COALESCE((SELECT row_count FROM plugin_usage WHERE plugin_id = ?1), 0) + 1 <= ?7
           AND COALESCE((SELECT byte_count FROM plugin_usage WHERE plugin_id = ?1), 0) + ?5 <= ?8
         ON CONFLICT (plugin_id, tbl, key) DO NOTHING`,
      )
      .bind(pluginId, table, key, value, bytes, now, limits.maxRows, limits.maxBytes),
    db.prepare("SELECT value FROM plugin_rows WHERE plugin_id = ? AND tbl = ? AND key = ?").bind(pluginId, table, key),
  ]);
  if (res.meta.changes > 0) return "created";
  return exists.results.length ? "exists" : "full";
}

export async function deleteRow(db: D1Database, pluginId: string, table: string, key: string): Promise<boolean> {
  const res = await db.prepare("DELETE FROM plugin_rows WHERE plugin_id = ? AND tbl = ? AND key = ?").bind(pluginId, table, key).run();
  return res.meta.changes > 0;
}

function rangeSql(range: KeyRange): { sql: string; params: string[] } {
  const parts = ["key >= ?"];
  const params = [range.lo];
  if (range.hi !== null) (parts.push("key < ?"), params.push(range.hi));
  if (range.after !== undefined) (parts.push("key > ?"), params.push(range.after));
  return { sql: parts.join(" AND "), params };
}

/** Up to `limit` rows of the range in key order (byte order of UTF-8, i.e. code point order). */
export async function listRows(db: D1Database, pluginId: string, table: string, range: KeyRange, limit: number): Promise<StoredRowText[]> {
  const r = rangeSql(range);
  const { results } = await db
    .prepare(`SELECT key, value, updated_at FROM plugin_rows WHERE plugin_id = ? AND tbl = ? AND ${r.sql} ORDER BY key LIMIT ?`)
    .bind(pluginId, table, ...r.params, limit)
    .all<{ key: string; value: string; updated_at: number }>();
  return results.map((row) => ({ key: row.key, value: row.value, updatedAt: row.updated_at }));
}

/** How many rows went: counted in the same batch (meta.changes would also count the usage trigger's writes). */
export async function deleteRange(db: D1Database, pluginId: string, table: string, range: KeyRange): Promise<number> {
  const r = rangeSql(range);
  const where = `plugin_id = ? AND tbl = ? AND ${r.sql}`;
  const [count] = await db.batch([
    db.prepare(`SELECT count(*) AS n FROM plugin_rows WHERE ${where}`).bind(pluginId, table, ...r.params),
    db.prepare(`DELETE FROM plugin_rows WHERE ${where}`).bind(pluginId, table, ...r.params),
  ]);
  return (count.results[0] as { n: number }).n;
}

export async function usageOf(db: D1Database, pluginId: string): Promise<{ rows: number; bytes: number }> {
  const row = await db.prepare("SELECT row_count, byte_count FROM plugin_usage WHERE plugin_id = ?").bind(pluginId).first<{ row_count: number; byte_count: number }>();
  return { rows: row?.row_count ?? 0, bytes: row?.byte_count ?? 0 };
}
