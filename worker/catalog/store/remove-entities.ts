/**
 * The one removal sequence for entity rows, as statements for the caller's D1 batch: file writes (entities
 * a file stopped emitting), file removals, location deletes and entity deletes all build their removals
 * here, so the derived rows (facet counts, search rows, relations and the relations_json of every entity
 * on the other end) change with the entity rows, in the same transaction.
 *
 * Rows are chosen by SQL, not by a list read beforehand: a location with thousands of files is still a
 * constant number of statements with a few bound parameters (D1 allows 100 per statement and 1,000
 * statements per invocation), and the delete needs no read round trip before its batch.
 */
import { adjustFacetCounts, noteRelationSources } from "./derived";

/**
 * A SELECT of `entities.id` values and its parameters. It is repeated inside several statements, so it
 * must use anonymous `?` parameters only and must not depend on rows the sequence changes before the
 * entity rows go (search, relations, facet counts).
 */
export interface EntitySelection {
  sql: string;
  params: unknown[];
}

/** What the change log records for each removal. */
export interface RemovalContext {
  commitSha: string | null;
  actor: string | null;
  now: number;
}

/**
 * Drops what the selected rows contribute to the derived tables (facet counts, search rows, the relations
 * they emitted) and leaves the entity rows. A rewrite runs this before writing the new version; removal
 * runs it before deleting the rows. The facet adjustment reads the current kind, so it goes first.
 */
export function unindexStatements(db: D1Database, sel: EntitySelection): D1PreparedStatement[] {
  return [
    ...adjustFacetCounts(db, -1, sel.sql, sel.params),
    db.prepare(`DELETE FROM search_rows WHERE entity_id IN (${sel.sql})`).bind(...sel.params),
    db.prepare(`DELETE FROM relation_pairs WHERE origin_ref IN (SELECT ref FROM entities WHERE id IN (${sel.sql}))`).bind(...sel.params),
  ];
}

/**
 * Removes the selected entity rows: a 'removed' change per row, their derived rows and plugins' problems with
 * them, then the rows themselves. The entities their relations pointed at are noted (noteRelationSources): the
 * batch must end with refreshNotedAnd, once its pairs are final, to re-render those relation lists.
 *
 * The change log's owner is the owner recorded by the row's latest add or update: every write of an entity
 * logs ownerRefOf(entity) for the version it stores, so that is the owner of the version being removed,
 * and it avoids parsing refs in SQL. When retention (worker/db/retention.ts) has removed that row, the
 * entity's ownedBy relation (the same ref, resolved by the same defaults) stands in.
 */
export function removalStatements(db: D1Database, sel: EntitySelection, ctx: RemovalContext): D1PreparedStatement[] {
  return [
    db
      .prepare(
        `INSERT INTO entity_changes (entity_ref, kind, owner, action, diff, location_key, commit_sha, actor, created_at)
         SELECT e.ref, e.kind, coalesce((SELECT c.owner FROM entity_changes c WHERE c.entity_ref = e.ref AND c.action <> 'removed' ORDER BY c.id DESC LIMIT 1),
             (SELECT lower(p.other_ref) FROM relation_pairs p WHERE p.origin_ref = e.ref AND p.type = 'ownedBy' ORDER BY p.other_ref LIMIT 1)),
           'removed', NULL, e.location_key, ?, ?, ?
         FROM entities e WHERE e.id IN (${sel.sql}) ORDER BY e.id`,
      )
      .bind(ctx.commitSha, ctx.actor, ctx.now, ...sel.params),
    noteRelationSources(db, `SELECT ref FROM entities WHERE id IN (${sel.sql})`, sel.params),
    ...unindexStatements(db, sel),
    // Problems plugins recorded against the entities go with them (the catalog's own errors belong to files).
    db.prepare(`DELETE FROM processing_errors WHERE plugin_id IS NOT NULL AND entity_ref IN (SELECT ref FROM entities WHERE id IN (${sel.sql}))`).bind(...sel.params),
    db.prepare(`DELETE FROM entities WHERE id IN (${sel.sql})`).bind(...sel.params),
  ];
}
