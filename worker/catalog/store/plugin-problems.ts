/**
 * Plugins' problems with entities (migration 0016): processing_errors rows carrying a plugin_id, every read and
 * write scoped to one plugin and one entity, so a plugin can never touch the catalog's own rows (plugin_id
 * NULL) or another plugin's. A replacement is one batch (delete, insert, catalog version), so readers see the
 * old set or the new one; the processing_errors triggers move the entity's rev, and the version bump the
 * whole-catalog cached answers.
 */
import { bumpCatalogVersion } from "./derived";

export interface PluginProblemRow {
  name: string;
  message: string;
  field: string | null;
  line: number | null;
  commitSha: string | null;
}

const locationOf = (pluginId: string) => `plugin:${pluginId}`;

const sameRows = (a: readonly PluginProblemRow[], b: readonly PluginProblemRow[]) =>
  a.length === b.length && a.every((r, i) => r.name === b[i]!.name && r.message === b[i]!.message && r.field === b[i]!.field && r.line === b[i]!.line && r.commitSha === b[i]!.commitSha);

/** The plugin's problems on the entity (lower-cased ref), oldest first, and whether the entity is in the catalog. */
export async function readPluginProblems(db: D1Database, pluginId: string, entityRef: string): Promise<{ exists: boolean; rows: PluginProblemRow[] }> {
  const [present, rows] = await db.batch([
    db.prepare("SELECT EXISTS (SELECT 1 FROM entities WHERE ref = ?) AS present").bind(entityRef),
    db.prepare("SELECT name, message, field, line, commit_sha AS commitSha FROM processing_errors WHERE entity_ref = ? AND plugin_id = ? ORDER BY id").bind(entityRef, pluginId),
  ]);
  return { exists: Boolean((present.results[0] as { present: number } | undefined)?.present), rows: rows.results as PluginProblemRow[] };
}

/**
 * Replaces the plugin's problems on the entity with `rows`: nothing is written when they are what is stored
 * already (a good build repeating "no problems" costs one read, not a cache invalidation). Rows are only
 * inserted while the entity exists (checked in the inserting statement); returns false when there were rows
 * to record and the entity is not in the catalog.
 */
export async function replacePluginProblems(db: D1Database, pluginId: string, entityRef: string, rows: readonly PluginProblemRow[], now: number): Promise<boolean> {
  const current = await readPluginProblems(db, pluginId, entityRef);
  if (rows.length && !current.exists) return false;
  if (sameRows(current.rows, rows)) return true;
  const location = locationOf(pluginId);
  const statements = [db.prepare("DELETE FROM processing_errors WHERE entity_ref = ? AND plugin_id = ?").bind(entityRef, pluginId)];
  if (rows.length) {
    statements.push(
      db
        .prepare(
          `INSERT INTO processing_errors (location_key, origin_key, entity_ref, doc_index, field, name, message, line, commit_sha, created_at, plugin_id)
           SELECT ?1, ?1, ?2, NULL, j.value->>'field', j.value->>'name', j.value->>'message', j.value->>'line', j.value->>'commitSha', ?3, ?4
           FROM json_each(?5) j WHERE EXISTS (SELECT 1 FROM entities WHERE ref = ?2) ORDER BY j.key`,
        )
        .bind(location, entityRef, now, pluginId, JSON.stringify(rows)),
    );
  }
  statements.push(bumpCatalogVersion(db));
  const results = await db.batch(statements);
  return !rows.length || (results[1]?.meta.changes ?? 0) > 0;
}
