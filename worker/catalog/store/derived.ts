/**
 * Rows derived from the catalog and kept exact by the write that changes their inputs, inside that write's
 * D1 batch, so reads never aggregate:
 * - entities.relation_list: an entity's relations (both halves of each pair, whoever emitted them;
 *   relation_pairs stores each pair once, migration 0015), as the JSON-escaped type and target ref of each
 *   (migration 0018); the virtual column relations_json renders it as the JSON array reads splice in;
 * - facet_counts: entities per (scope, key, value) for the counted facet keys, for the whole catalog
 *   (scope '') and per kind. Adjusted set-wise, one grouped upsert per batch: per-row triggers cost a kind
 *   lookup and two upserts for every search row written, which dominated loading;
 * - catalog_version: moved by every such batch, so cached reads know they are current.
 */
import { COUNTED_FACET_KEYS } from "./facet-keys";

/** `'kind', 'apiversion', …` for an IN list; the keys are constants, never input. */
const COUNTED_KEYS_SQL = [...COUNTED_FACET_KEYS].map((k) => `'${k}'`).join(", ");

/** `col` as JSON-escaped text without its quotes (json_quote escapes tabs and newlines, so neither is left raw). */
const escaped = (col: string) => `substr(json_quote(${col}), 2, length(json_quote(${col})) - 2)`;

/**
 * relation_list of the halves selected by `halvesSql` (columns type, target_ref): each half's escaped type,
 * a tab and its escaped target ref, newline-separated, ordered by type and target ref; '' for none
 * (migration 0018 explains the format).
 */
function relationListOf(halvesSql: string): string {
  return `coalesce((SELECT group_concat(${escaped("type")} || char(9) || ${escaped("target_ref")}, char(10)) FROM (${halvesSql} ORDER BY type, target_ref)), '')`;
}

/**
 * relation_list of the entity whose ref is `refExpr`, from relation_pairs as they stand: what a write puts in
 * a row it inserts or rewrites, once the batch's pairs are in.
 */
export function relationListSql(refExpr: string): string {
  return relationListOf(halvesOf(refExpr));
}

/**
 * `UPDATE entities` to the relation lists `freshSql` computes (columns id, list), writing only the rows whose
 * list changes and moving their rev in the same write. A row rewritten to the value it had still costs its
 * pages, and hubs (a Group owning thousands) are long rows that most batches name; a second UPDATE for the rev
 * (the trigger migration 0021 replaced) wrote every changed row twice.
 */
function updateChangedLists(freshSql: string): string {
  return `WITH fresh(id, list) AS (${freshSql})
    UPDATE entities SET relation_list = fresh.list, rev = entities.rev + 1
    FROM fresh WHERE entities.id = fresh.id AND entities.relation_list IS NOT fresh.list`;
}

/**
 * The distinct halves (type, target_ref) starting at `refExpr`, read from relation_pairs (migration 0015) as
 * two index lookups: the pairs it emitted and the pairs naming it as the other end. Written out rather than
 * read through the "relations" view, which SQLite scans whole when the condition sits in a nested subquery.
 * `cond` is an extra condition on the pair row (alias-free column names).
 */
function halvesOf(refExpr: string, cond = ""): string {
  return `SELECT type, other_ref AS target_ref FROM relation_pairs WHERE origin_ref = ${refExpr}${cond}
    UNION SELECT reverse_type, origin_ref FROM relation_pairs WHERE other_ref = ${refExpr}${cond}`;
}

/**
 * Statement that notes in relation_refresh (migration 0024) the other ends of the pairs emitted by the origins
 * `originsSql` selects (a select of refs, anonymous `?` parameters), before the batch deletes those pairs: their
 * lists change when the pairs do. A batch that notes ends with refreshNotedAnd.
 */
export function noteRelationSources(db: D1Database, originsSql: string, params: unknown[]): D1PreparedStatement {
  return db
    .prepare(`INSERT INTO relation_refresh (ref) SELECT DISTINCT other_ref FROM relation_pairs WHERE origin_ref IN (${originsSql}) ON CONFLICT DO NOTHING`)
    .bind(...params);
}

/**
 * Statements that re-render the relation lists of the refs noted in relation_refresh and of `refs`, once the
 * batch's pairs are final, then empty relation_refresh.
 */
export function refreshNotedAnd(db: D1Database, refs: Iterable<string> = []): D1PreparedStatement[] {
  return [
    db
      .prepare(
        updateChangedLists(
          `SELECT e.id, ${relationListSql("e.ref")} FROM entities e WHERE e.ref IN (SELECT value FROM json_each(?) UNION SELECT ref FROM relation_refresh)`,
        ),
      )
      .bind(JSON.stringify([...new Set(refs)])),
    db.prepare("DELETE FROM relation_refresh"),
  ];
}

/**
 * Statements that add (`sign` 1) or remove (`sign` -1) the facet counts of the search rows of the entities
 * selected by `entityIdsSql` (a select of entity ids). Removal must run before those search rows or entity
 * rows are deleted or changed (it reads the entity's current kind); addition after both are written.
 */
export function adjustFacetCounts(db: D1Database, sign: 1 | -1, entityIdsSql: string, params: unknown[]): D1PreparedStatement[] {
  const upsert = db
    .prepare(
      `WITH rows AS (
         SELECT s.key AS key, s.original_value AS value, s.value AS folded, lower(e.kind) AS kind FROM search s JOIN entities e ON e.id = s.entity_id
         WHERE s.entity_id IN (${entityIdsSql}) AND s.key IN (${COUNTED_KEYS_SQL}) AND s.original_value IS NOT NULL)
       INSERT INTO facet_counts (scope, key, value, folded, count)
       SELECT scope, key, value, max(folded), ${sign} * count(*) FROM (
         SELECT '' AS scope, key, value, folded FROM rows UNION ALL SELECT kind AS scope, key, value, folded FROM rows)
       WHERE true GROUP BY scope, key, value
       ON CONFLICT(scope, key, value) DO UPDATE SET count = count + excluded.count`,
    )
    .bind(...params);
  if (sign === 1) return [upsert];
  return [upsert, db.prepare("DELETE FROM facet_counts WHERE count <= 0")];
}

/**
 * Moves the catalog version forward (worker/catalog/read-cache.ts). Every batch that changes what a catalog
 * read returns (entity rows, relations, processing errors) ends with it, inside the same transaction.
 */
export function bumpCatalogVersion(db: D1Database): D1PreparedStatement {
  return db.prepare("UPDATE catalog_version SET version = version + 1 WHERE id = 1");
}
