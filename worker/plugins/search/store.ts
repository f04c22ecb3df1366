/**
 * Plugin search SQL: documents in plugin_search_docs (migration 0012) with their FTS5 index plugin_search,
 * every read and write scoped to one plugin id except `searchAllPlugins`, which the global search uses and
 * which still takes the set of plugins whose documents the caller may see.
 */
import { MARK_CLOSE, MARK_OPEN } from "./query";

export interface SearchDocRow {
  docId: string;
  entityRef: string;
  title: string;
  section: string | null;
  text: string;
  path: string;
}

export interface SearchHitRow {
  pluginId: string;
  docId: string;
  entityRef: string;
  title: string;
  section: string | null;
  path: string;
  snippet: string | null;
}

const UPSERT = `INSERT INTO plugin_search_docs (plugin_id, doc_id, entity_ref, title, section, text, path, updated_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (plugin_id, doc_id) DO UPDATE SET entity_ref = excluded.entity_ref, title = excluded.title,
    section = excluded.section, text = excluded.text, path = excluded.path, updated_at = excluded.updated_at`;

/** How many documents the plugin has, and how many of `docIds` are not among them yet. */
export async function countDocs(db: D1Database, pluginId: string, docIds: readonly string[]): Promise<{ total: number; fresh: number }> {
  const total = await db.prepare("SELECT count(*) AS n FROM plugin_search_docs WHERE plugin_id = ?").bind(pluginId).first<{ n: number }>();
  let existing = 0;
  for (let i = 0; i < docIds.length; i += 90) {
    const chunk = docIds.slice(i, i + 90);
    const row = await db
      .prepare(`SELECT count(*) AS n FROM plugin_search_docs WHERE plugin_id = ? AND doc_id IN (${chunk.map(() => "?").join(",")})`)
      .bind(pluginId, ...chunk)
      .first<{ n: number }>();
    existing += row?.n ?? 0;
  }
  return { total: total?.n ?? 0, fresh: docIds.length - existing };
}

/** Inserts or replaces the documents in one batch (all or nothing). */
export async function upsertDocs(db: D1Database, pluginId: string, docs: readonly SearchDocRow[], now: number): Promise<void> {
  if (!docs.length) return;
  const stmt = db.prepare(UPSERT);
  await db.batch(docs.map((d) => stmt.bind(pluginId, d.docId, d.entityRef, d.title, d.section, d.text, d.path, now)));
}

export async function deleteDocs(db: D1Database, pluginId: string, docIds: readonly string[]): Promise<void> {
  if (!docIds.length) return;
  const stmt = db.prepare("DELETE FROM plugin_search_docs WHERE plugin_id = ? AND doc_id = ?");
  await db.batch(docIds.map((id) => stmt.bind(pluginId, id)));
}

export async function deleteEntityDocs(db: D1Database, pluginId: string, entityRef: string): Promise<void> {
  await db.prepare("DELETE FROM plugin_search_docs WHERE plugin_id = ? AND entity_ref = ?").bind(pluginId, entityRef).run();
}

const HIT_COLUMNS = `d.plugin_id AS pluginId, d.doc_id AS docId, d.entity_ref AS entityRef, d.title, d.section, d.path,
  snippet(plugin_search, 2, ?1, ?2, '…', 24) AS snippet`;

/** bm25 weights: title, section, text. */
const RANK = "bm25(plugin_search, 10.0, 4.0, 1.0)";

/** One plugin's hits for a MATCH expression built by ftsMatchExpression, best first. */
export async function searchPluginDocs(db: D1Database, pluginId: string, match: string, q: { entityRef?: string; limit: number }): Promise<SearchHitRow[]> {
  const entity = q.entityRef === undefined ? "" : " AND d.entity_ref = ?6";
  const { results } = await db
    .prepare(
      `SELECT ${HIT_COLUMNS} FROM plugin_search JOIN plugin_search_docs d ON d.id = plugin_search.rowid
       WHERE plugin_search MATCH ?3 AND d.plugin_id = ?4${entity} ORDER BY ${RANK} LIMIT ?5`,
    )
    .bind(MARK_OPEN, MARK_CLOSE, match, pluginId, q.limit, ...(q.entityRef === undefined ? [] : [q.entityRef]))
    .all<SearchHitRow>();
  return results;
}

/**
 * Hits across the given plugins, best first, at most `perPlugin` for each (the global search groups them by
 * plugin). Only documents of entities in the catalog are returned: the join on entities is where the
 * caller's visibility applies (every reader sees the whole catalog today, worker/access.ts), so a document
 * is never shown for an entity the caller could not open.
 */
export async function searchAllPlugins(db: D1Database, pluginIds: readonly string[], match: string, perPlugin: number): Promise<SearchHitRow[]> {
  if (!pluginIds.length) return [];
  // One statement per plugin in one batch: FTS5's snippet() and bm25() cannot run under a window function.
  const stmt = db.prepare(
    `SELECT ${HIT_COLUMNS} FROM plugin_search JOIN plugin_search_docs d ON d.id = plugin_search.rowid JOIN entities e ON e.ref = d.entity_ref
     WHERE plugin_search MATCH ?3 AND d.plugin_id = ?4 ORDER BY ${RANK} LIMIT ?5`,
  );
  const results = await db.batch<SearchHitRow>(pluginIds.map((id) => stmt.bind(MARK_OPEN, MARK_CLOSE, match, id, perPlugin)));
  return results.flatMap((r) => r.results);
}
