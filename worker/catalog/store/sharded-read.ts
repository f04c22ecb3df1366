/**
 * Catalog reads over a CatalogDb: one database passes straight to store/read.ts and store/facets.ts; a shard
 * set (store/shards.ts) fans out and merges so the answer is the one a single database holding every shard's
 * rows would give (same items, order, totals, cursors and facet counts):
 * - by-name: the ref names its namespace, so one shard; by-uid: every shard, the one that has it;
 * - by-refs: refs grouped by their namespace's shard, answers put back in request order;
 * - by-query pages (filters, order fields, full text): every shard walks the same keyset range for
 *   `limit` rows, the pages are merged in the query's order (SQLite's binary collation, then row id) and
 *   cut to `limit`; totals add up (an entity lives in one shard);
 * - facets: counts per value add up;
 * - GET /entities: every shard lists from the start to offset + limit in the same order (ref, or the order
 *   fields' sort keys then row id), merged and cut; costs grow with the offset, so deep offsets over many
 *   shards are slow (the unordered stream pages by ref instead of offset, which stays cheap).
 * Row ids are unique across shards (store/shards.ts), so a keyset position means the same in every shard.
 */
import type { EntityFilter } from "../query";
import * as one from "./read";
import { getFacets as getFacetsOfOne, type Facets } from "./facets";
import { compareBinary, isSharded, namespaceOfRef, type CatalogDb, type CatalogShards } from "./shards";

export type { CatalogDb };

export function getEntityJsonByRef(db: CatalogDb, ref: string): Promise<string | null> {
  return one.getEntityJsonByRef(isSharded(db) ? db.of(namespaceOfRef(ref.toLowerCase())) : db, ref);
}

export async function getEntityJsonByUid(db: CatalogDb, uid: string): Promise<string | null> {
  if (!isSharded(db)) return one.getEntityJsonByUid(db, uid);
  const found = await Promise.all(db.all.map((shard) => one.getEntityJsonByUid(shard, uid)));
  return found.find((json) => json !== null) ?? null;
}

/** Asks each shard for the refs of its namespaces; answers land at their request positions. */
async function byRefs<T>(db: CatalogShards, refs: string[], read: (shard: D1Database, refs: string[]) => Promise<(T | null)[]>): Promise<(T | null)[]> {
  const groups = new Map<D1Database, number[]>();
  refs.forEach((ref, i) => {
    const shard = db.of(namespaceOfRef(ref.toLowerCase()));
    const list = groups.get(shard);
    if (list) list.push(i);
    else groups.set(shard, [i]);
  });
  const out: (T | null)[] = refs.map(() => null);
  await Promise.all(
    [...groups].map(async ([shard, positions]) => {
      const answers = await read(shard, positions.map((i) => refs[i]));
      positions.forEach((i, k) => (out[i] = answers[k]));
    }),
  );
  return out;
}

export function getEntityJsonsByRefs(db: CatalogDb, refs: string[], filter?: EntityFilter): Promise<(string | null)[]> {
  if (!isSharded(db)) return one.getEntityJsonsByRefs(db, refs, filter);
  return byRefs(db, refs, (shard, part) => one.getEntityJsonsByRefs(shard, part, filter));
}

export function getEntityRevsByRefs(db: CatalogDb, refs: string[], filter?: EntityFilter): Promise<(one.EntityRev | null)[]> {
  if (!isSharded(db)) return one.getEntityRevsByRefs(db, refs, filter);
  return byRefs(db, refs, (shard, part) => one.getEntityRevsByRefs(shard, part, filter));
}

export async function getEntityJsonsByIds(db: CatalogDb, ids: number[]): Promise<(one.EntityRev & { json: string })[]> {
  if (!isSharded(db)) return one.getEntityJsonsByIds(db, ids);
  return (await Promise.all(db.all.map((shard) => one.getEntityJsonsByIds(shard, ids)))).flat();
}

/**
 * A page over every shard. Each shard returns its first `limit` rows after the position in walk order (and
 * whether it has more); the merged page is the first `limit` of their union in that order. Walking
 * backwards, the walk order is the query's order reversed and pages come back in the query's order.
 */
export async function queryEntityPage(db: CatalogDb, q: one.PageQuery): Promise<one.PageResult> {
  if (!isSharded(db)) return one.queryEntityPage(db, q);
  const pages = await Promise.all(db.all.map((shard) => one.queryEntityPage(shard, q)));
  const desc = q.order?.order === "desc";
  type Row = { json: string | undefined; row: one.EntityRev; position: one.KeysetPosition };
  const rows: Row[] = pages.flatMap((p) => p.rows.map((row, i) => ({ json: q.idsOnly ? undefined : p.jsons[i], row, position: p.positions[i] })));
  // The query's order: the sort value (binary collation; rows without one are never in an ordered walk), then the row id.
  const inOrder = (a: Row, b: Row) => {
    const byValue = q.order ? compareBinary(a.position.value ?? "", b.position.value ?? "") : 0;
    const cmp = byValue || a.row.id - b.row.id;
    return desc ? -cmp : cmp;
  };
  rows.sort(inOrder);
  // Forwards the page is the first `limit` in the query's order; backwards, the last `limit` before the position.
  const kept = q.backwards ? rows.slice(Math.max(0, rows.length - q.limit)) : rows.slice(0, q.limit);
  const hasMore = rows.length > q.limit || pages.some((p) => p.hasMore);
  const totals = pages.map((p) => p.totalItems);
  return {
    jsons: q.idsOnly ? [] : kept.map((r) => r.json!),
    rows: kept.map((r) => r.row),
    positions: kept.map((r) => r.position),
    hasMore,
    totalItems: totals.every((t) => t === undefined) ? undefined : totals.reduce<number>((a, t) => a + (t ?? 0), 0),
  };
}

/** Facets over every shard: counts per (facet, value) added up, then ordered as one database orders them. */
export async function getFacets(db: CatalogDb, facets: string[], filter?: EntityFilter): Promise<Facets> {
  if (!isSharded(db)) return getFacetsOfOne(db, facets, filter);
  const answers = await Promise.all(db.all.map((shard) => getFacetsOfOne(shard, facets, filter)));
  const out: Facets = {};
  for (const f of new Set(facets)) {
    const counts = new Map<string, number>();
    for (const a of answers) for (const { value, count } of Object.hasOwn(a, f) ? a[f] : []) counts.set(value, (counts.get(value) ?? 0) + count);
    const values = [...counts].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    // Facet names are user input: defineProperty keeps a facet named `__proto__` an ordinary key.
    Object.defineProperty(out, f, { value: values, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/** GET /entities rows over every shard, in the order one database lists them (store/read.ts listEntityRows). */
export async function listEntityRows(db: CatalogDb, q: one.ListQuery): Promise<one.ListRow[]> {
  if (!isSharded(db)) return one.listEntityRows(db, q);
  const upTo = q.limit === undefined ? undefined : q.offset + q.limit;
  const lists = await Promise.all(db.all.map((shard) => one.listEntityRows(shard, { ...q, offset: 0, limit: upTo })));
  const inOrder = (a: one.ListRow, b: one.ListRow) => {
    if (!q.order.length) return compareBinary(a.ref, b.ref);
    for (const [i, o] of q.order.entries()) {
      const [x, y] = [a.keys[i], b.keys[i]];
      if (x === y) continue;
      // NULLS LAST in both directions, as the SQL orders them.
      if (x === null) return 1;
      if (y === null) return -1;
      const cmp = compareBinary(x, y);
      if (cmp) return o.order === "desc" ? -cmp : cmp;
    }
    return a.id - b.id;
  };
  const rows = lists.flat().sort(inOrder);
  return rows.slice(q.offset, upTo);
}

export async function listEntityJsons(db: CatalogDb, q: one.ListQuery): Promise<string[]> {
  return (await listEntityRows(db, q)).map((r) => r.json);
}
