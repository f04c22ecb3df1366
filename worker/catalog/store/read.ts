/**
 * Entity reads. Each public function is one D1 round trip (a single statement, or one batch when a
 * first page also needs its total), and returns entity JSON strings ready to be sent.
 */
import type { EntityFilter, OrderField } from "../query";
import { ENTITY_JSON, ENTITY_JSON_EXPR } from "./entity-json";
import { entityPredicateSql, fullTextSql, KEY_ID, matchingIdsSql, pickDriver, type SqlFragment } from "./filter-sql";
import { COUNTED_FACET_KEYS } from "./facet-keys";

async function first(db: D1Database, sql: string, params: unknown[]): Promise<string | null> {
  const row = await db.prepare(sql).bind(...params).first<{ json: string }>();
  return row?.json ?? null;
}

export function getEntityJsonByRef(db: D1Database, ref: string): Promise<string | null> {
  return first(db, `SELECT ${ENTITY_JSON} FROM entities e WHERE e.ref = ?`, [ref.toLowerCase()]);
}

export function getEntityJsonByUid(db: D1Database, uid: string): Promise<string | null> {
  return first(db, `SELECT ${ENTITY_JSON} FROM entities e WHERE e.uid = ?`, [uid]);
}

/** An entity row and the revision of its rendered JSON (entities.rev, migration 0014). */
export interface EntityRev {
  id: number;
  rev: number;
}

/** The rendered JSON of the entities with these row ids, with their current revs; removed ones are left out. */
export async function getEntityJsonsByIds(db: D1Database, ids: number[]): Promise<(EntityRev & { json: string })[]> {
  if (!ids.length) return [];
  const { results } = await db
    .prepare(`SELECT e.id AS id, e.rev AS rev, ${ENTITY_JSON} FROM entities e WHERE e.id IN (SELECT value FROM json_each(?))`)
    .bind(JSON.stringify(ids))
    .all<EntityRev & { json: string }>();
  return results;
}

/** by-refs without the JSON: the row id and rev per requested ref, in request order, null as getEntityJsonsByRefs. */
export async function getEntityRevsByRefs(db: D1Database, refs: string[], filter?: EntityFilter): Promise<(EntityRev | null)[]> {
  if (!refs.length) return [];
  const ids = matchingIdsSql(filter);
  const sql =
    "SELECT r.key AS idx, e.id AS id, e.rev AS rev " +
    `FROM json_each(?) r LEFT JOIN entities e ON e.ref = lower(r.value)` +
    (ids ? ` AND e.id IN (${ids.sql})` : "") +
    " ORDER BY r.key";
  const { results } = await db
    .prepare(sql)
    .bind(JSON.stringify(refs), ...(ids?.params ?? []))
    .all<{ idx: number; id: number | null; rev: number | null }>();
  return results.map((r) => (r.id === null ? null : { id: r.id, rev: r.rev ?? 0 }));
}

/** by-refs: one row per requested ref, in request order, null for misses or entities the filter excludes. */
export async function getEntityJsonsByRefs(db: D1Database, refs: string[], filter?: EntityFilter): Promise<(string | null)[]> {
  if (!refs.length) return [];
  const ids = matchingIdsSql(filter);
  const sql =
    `SELECT r.key AS idx, CASE WHEN e.id IS NULL THEN NULL ELSE ${ENTITY_JSON_EXPR} END AS json ` +
    `FROM json_each(?) r LEFT JOIN entities e ON e.ref = lower(r.value)` +
    (ids ? ` AND e.id IN (${ids.sql})` : "") +
    " ORDER BY r.key";
  const { results } = await db
    .prepare(sql)
    .bind(JSON.stringify(refs), ...(ids?.params ?? []))
    .all<{ idx: number; json: string | null }>();
  return results.map((r) => r.json);
}

export interface FullTextFilter {
  term: string;
  fields: string[];
}

/** Position of a page boundary in the ordering: the sort value (null when ordering by id) and the row id. */
export interface KeysetPosition {
  value: string | null;
  id: number;
}

export interface PageQuery {
  filter?: EntityFilter;
  order?: OrderField;
  fullText?: FullTextFilter;
  limit: number;
  /** Rows strictly after (or, with `backwards`, before) this position. */
  after?: KeysetPosition;
  backwards?: boolean;
  /** Also count all matches (first page only). */
  withTotal: boolean;
  /** Read only ids and revs (`rows`), not the JSON (`jsons` stays empty): see catalog/entity-cache.ts. */
  idsOnly?: boolean;
}

export interface PageResult {
  jsons: string[];
  /** Row ids and revs of the returned rows, in order. */
  rows: EntityRev[];
  /** Keyset positions of the returned rows, in order. */
  positions: KeysetPosition[];
  hasMore: boolean;
  totalItems?: number;
}

/**
 * One page in keyset order, walking an index in the page's order and stopping after `limit` matches, so the
 * cost follows the page size rather than the number of matches:
 * - with an order field: the search(key, value, entity_id) range of that field;
 * - else, with an equality statement in the filter: that statement's index range (ids come sorted);
 * - else: entities by row id.
 * Other statements are EXISTS probes per row; a full-text term is one FTS5 set. The first page also
 * counts all matches, in the same D1 batch.
 */
export async function queryEntityPage(db: D1Database, q: PageQuery): Promise<PageResult> {
  const ft = q.fullText ? fullTextSql(q.fullText.term, q.fullText.fields) : null;
  const desc = (q.order?.order === "desc") !== Boolean(q.backwards);
  const cmp = desc ? "<" : ">";
  const dir = desc ? "DESC" : "ASC";
  const drive = q.order || ft ? null : pickDriver(q.filter);

  // [from, where, params] shared by the page and its count; the page adds the cursor condition and order.
  let from: string;
  const where: string[] = [];
  const params: unknown[] = [];
  let idCol: string;
  let sortCol: string;
  let countExpr = "count(*)";
  const refOf = (id: string) => `(SELECT ref FROM entities WHERE id = ${id})`;
  const addPredicate = (filter: EntityFilter | undefined, id: string) => {
    const pred = entityPredicateSql(filter, id, refOf(id));
    if (pred) (where.push(`(${pred.sql})`), params.push(...pred.params));
  };
  if (q.order) {
    from = "search s";
    idCol = "s.entity_id";
    sortCol = "s.value";
    countExpr = "count(DISTINCT s.entity_id)";
    where.push("s.key = ?", "s.value IS NOT NULL");
    params.push(q.order.field);
    addPredicate(q.filter, idCol);
  } else if (drive) {
    from = "search s";
    idCol = "s.entity_id";
    sortCol = "NULL";
    where.push("s.key = ?", "s.value = ?");
    params.push(drive.driver.key, drive.driver.values![0]);
    addPredicate(drive.rest, idCol);
  } else {
    from = "entities e0";
    idCol = "e0.id";
    sortCol = "NULL";
    addPredicate(q.filter, idCol);
  }
  if (ft) (where.push(`${idCol} IN (${ft.sql})`), params.push(...ft.params));

  const pageWhere = [...where];
  const pageParams = [...params];
  if (q.after) {
    if (q.order) (pageWhere.push(`(s.value, s.entity_id) ${cmp} (?, ?)`), pageParams.push(q.after.value ?? "", q.after.id));
    else (pageWhere.push(`${idCol} ${cmp} ?`), pageParams.push(q.after.id));
  }
  const orderBy = q.order ? `s.value ${dir}, s.entity_id ${dir}` : `${idCol} ${dir}`;
  const whereSql = (w: string[]) => (w.length ? ` WHERE ${w.join(" AND ")}` : "");
  const statements = [
    db
      .prepare(
        `SELECT e.id AS id, e.rev AS rev, ${sortCol} AS sortValue${q.idsOnly ? "" : `, ${ENTITY_JSON}`} FROM ${from} JOIN entities e ON e.id = ${idCol}` +
          `${whereSql(pageWhere)} ORDER BY ${orderBy} LIMIT ?`,
      )
      .bind(...pageParams, q.limit + 1),
  ];
  if (q.withTotal) {
    const counted = ft ? null : countedTotalSql(q.filter);
    statements.push(
      counted
        ? db.prepare(counted.sql).bind(...counted.params)
        : db.prepare(`SELECT ${countExpr} AS n FROM ${from}${whereSql(where)}`).bind(...params),
    );
  }
  const [pageResult, countResult] = statements.length === 1 ? [await statements[0].all()] : await db.batch(statements);
  type Row = { id: number; rev: number; sortValue: string | null; json: string };
  let rows = pageResult.results as Row[];
  const hasMore = rows.length > q.limit;
  rows = rows.slice(0, q.limit);
  if (q.backwards) rows.reverse();
  return {
    jsons: q.idsOnly ? [] : rows.map((r) => r.json),
    rows: rows.map((r) => ({ id: r.id, rev: r.rev })),
    positions: rows.map((r) => ({ value: r.sortValue, id: r.id })),
    hasMore,
    totalItems: countResult ? ((countResult.results[0] as { n: number }).n ?? 0) : undefined,
  };
}

/**
 * The total of a filter that facet_counts already holds, read instead of counted: no filter (every entity
 * has one kind row), one counted `key=value`, or `kind=x` plus one counted `key=value`. Null otherwise.
 */
function countedTotalSql(filter: EntityFilter | undefined): SqlFragment | null {
  const anyOf = filter?.anyOf ?? [];
  if (!anyOf.length) return { sql: "SELECT coalesce(sum(count), 0) AS n FROM facet_counts WHERE scope = '' AND key = 'kind'", params: [] };
  if (anyOf.length !== 1 || anyOf[0].length > 2) return null;
  const statements = anyOf[0];
  if (!statements.every((s) => s.values?.length === 1 && COUNTED_FACET_KEYS.has(s.key))) return null;
  const kind = statements.length === 2 ? statements.find((s) => s.key === "kind") : undefined;
  if (statements.length === 2 && !kind) return null;
  const counted = statements.find((s) => s !== kind)!;
  return {
    sql: "SELECT coalesce(sum(count), 0) AS n FROM facet_counts WHERE scope = ? AND key = ? AND folded = ?",
    params: [kind ? kind.values![0] : "", counted.key, counted.values![0]],
  };
}

export interface ListQuery {
  filter?: EntityFilter;
  order: OrderField[];
  offset: number;
  limit?: number;
  /** Without order fields: only entities whose ref sorts after this one (keyset chunks of a stream). */
  afterRef?: string;
}

export interface ListRow {
  ref: string;
  json: string;
  /** The row id and each order field's sort key (the field's least value, null when absent): what a merge of shards orders by. */
  id: number;
  keys: (string | null)[];
}

/** Legacy GET /entities: offset paging, several order fields, entities lacking a field sort last. */
export async function listEntityJsons(db: D1Database, q: ListQuery): Promise<string[]> {
  return (await listEntityRows(db, q)).map((r) => r.json);
}

export async function listEntityRows(db: D1Database, q: ListQuery): Promise<ListRow[]> {
  const ids = matchingIdsSql(q.filter);
  const where: string[] = [];
  const whereParams: unknown[] = [];
  if (ids) (where.push(`e.id IN (${ids.sql})`), whereParams.push(...ids.params));
  if (q.afterRef !== undefined && !q.order.length) (where.push("e.ref > ?"), whereParams.push(q.afterRef));
  const orderParams: unknown[] = [];
  const keys: string[] = [];
  const orderBy: string[] = [];
  q.order.forEach((o, i) => {
    // One bound parameter per order field (query.ts budgets them against D1's 100); selected, so that
    // shards' rows can be merged in the same order (store/sharded-read.ts), and ordered by alias.
    keys.push(`(SELECT min(value) FROM search_rows WHERE entity_id = e.id AND key_id = ${KEY_ID}) AS k${i}`);
    orderBy.push(`k${i} ${o.order === "desc" ? "DESC" : "ASC"} NULLS LAST`);
    orderParams.push(o.field);
  });
  orderBy.push(q.order.length ? "e.id" : "e.ref");
  const sql =
    `SELECT e.ref AS ref, e.id AS id, ${[...keys, ""].join(", ")}${ENTITY_JSON} FROM entities e` +
    (where.length ? ` WHERE ${where.join(" AND ")}` : "") +
    ` ORDER BY ${orderBy.join(", ")} LIMIT ? OFFSET ?`;
  const { results } = await db
    .prepare(sql)
    .bind(...orderParams, ...whereParams, q.limit ?? -1, q.offset)
    .all<Record<string, unknown> & { ref: string; json: string; id: number }>();
  return results.map((r) => ({ ref: r.ref, json: r.json, id: r.id, keys: q.order.map((_, i) => (r[`k${i}`] as string | null) ?? null) }));
}

export interface AncestryRow {
  ref: string;
  parentRef: string | null;
  json: string;
}

/** The chain of parents (the Location entities that led to the entity), nearest first. */
export async function getAncestry(db: D1Database, ref: string): Promise<AncestryRow[]> {
  const sql = `WITH RECURSIVE chain(ref, depth) AS (
      SELECT ?, 0
      UNION SELECT e.parent_ref, c.depth + 1 FROM chain c JOIN entities e ON e.ref = c.ref
        WHERE e.parent_ref IS NOT NULL AND c.depth < 32)
    SELECT e.ref AS ref, e.parent_ref AS parentRef, ${ENTITY_JSON}
    FROM chain c JOIN entities e ON e.ref = c.ref ORDER BY c.depth`;
  const { results } = await db.prepare(sql).bind(ref.toLowerCase()).all<AncestryRow>();
  return results;
}
