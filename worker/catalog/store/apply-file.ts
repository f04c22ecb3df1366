/**
 * The write path: applies processed descriptor files to the catalog, a group of files per D1 batch, so a
 * file is never half-applied. Rules (Backstage's location-key semantics):
 * - the first file (location key) to emit a ref owns it; another file emitting it gets a ConflictError
 *   recorded against that file, and nothing is overwritten;
 * - an entity the file no longer emits is removed with the relations it emitted, but only when the file
 *   was fully understood (ProcessedFile.complete); a document that failed keeps its last good version;
 * - unchanged entities (same content hash) are not rewritten;
 * - every add/update/remove goes to the change log with a field diff;
 * - derived rows (stored relations of every entity on either end, facet counts) change in the same batch.
 */
import { v7 as uuidv7 } from "uuid";
import type { Entity, ProcessedFile, ProcessingProblem, SearchRow } from "../types";
import { buildSearchRows } from "../search-index";
import { sha1Hex, stableStringify } from "../hash";
import { diffEntities } from "../diff";
import { ownerRefOf } from "./owner";
import { adjustFacetCounts, bumpCatalogVersion, noteRelationSources, refreshNotedAnd, relationListSql } from "./derived";
import { removalStatements, unindexStatements, type RemovalContext } from "./remove-entities";
import { relationPairs } from "./relation-pairs";

export interface CommitInfo {
  sha: string;
  /** Commit time, epoch ms. */
  time?: number | null;
  actor?: string | null;
  repo?: string | null;
  path?: string | null;
}

export interface FileWrite {
  file: ProcessedFile;
  originKey: string;
  parentRef: string | null;
  contentHash: string | null;
  commit?: CommitInfo | null;
  now?: number;
}

export interface FileReport {
  location: string;
  added: string[];
  updated: string[];
  removed: string[];
  unchanged: string[];
  rejected: ProcessingProblem[];
  /** Refs this file emitted that another file owns: nothing of them was written (a ConflictError in `rejected`). */
  conflicts: string[];
}

interface ExistingRow {
  ref: string;
  uid: string;
  hash: string;
  locationKey: string;
  parentRef: string | null;
  originKey: string;
  body: string;
}

/** Files written per D1 batch: one transaction (and one commit to disk) for the lot instead of one per file. */
export const FILES_PER_BATCH = 20;
/**
 * Files per batch when every file is in memory already (POST /ingest holds them in its body): a fifth of the
 * transactions, and 20,000 entities load in 13–15 s instead of 21–24 (README, "Bulk loads"). A group also
 * closes at MAX_ENTITIES_PER_BATCH, so one transaction stays short however many documents the files hold.
 */
export const BULK_FILES_PER_BATCH = 100;
export const MAX_ENTITIES_PER_BATCH = 2000;

/**
 * JSON arrays of the rows, each under D1's per-value limit (2 MB) with room to spare. Each row is
 * serialized once: measuring with one stringify and sending with another doubled the cost.
 */
function jsonChunks(rows: unknown[], maxBytes = 900_000): string[] {
  const chunks: string[] = [];
  let parts: string[] = [];
  let size = 0;
  for (const row of rows) {
    const json = JSON.stringify(row);
    if (parts.length && size + json.length > maxBytes) {
      chunks.push(`[${parts.join(",")}]`);
      parts = [];
      size = 0;
    }
    parts.push(json);
    size += json.length + 1;
  }
  if (parts.length) chunks.push(`[${parts.join(",")}]`);
  return chunks;
}

/**
 * The entity's search rows with the uid the store just assigned. processFile built the rows before it
 * existed; reusing them saves building the index twice per entity on the hot write path. The etag is not
 * indexed (as in Backstage: buildSearchRows skips it).
 */
function rowsWithIdentity(rows: SearchRow[] | undefined, entity: Entity, uid: string): SearchRow[] {
  if (!rows) return buildSearchRows(entity);
  const out = rows.filter((r) => r.key !== "metadata.uid" && r.key !== "metadata.etag");
  out.push({ key: "metadata.uid", value: uid, originalValue: uid });
  return out;
}

/**
 * Keys whose original text the `search` view reads back from the entity row (entities.description and
 * entities.title, migration 0019) when the row stores none: the field as the body holds it, if a string.
 */
const ORIGINAL_IN_ENTITY_ROW: ReadonlyMap<string, (e: Entity) => unknown> = new Map([
  ["metadata.description", (e: Entity) => e.metadata.description],
  ["metadata.title", (e: Entity) => e.metadata.title],
]);

/** The original value a search row stores: null where the folded value (migration 0015) or the entity row (0019) gives it back. */
function storedOriginal(s: SearchRow, entity: Entity): string | null {
  if (s.originalValue === s.value) return null;
  const field = ORIGINAL_IN_ENTITY_ROW.get(s.key);
  return field && typeof s.originalValue === "string" && field(entity) === s.originalValue ? null : s.originalValue;
}

/**
 * The search keys whose rows differ between two versions of an entity (a key present in one only counts): what
 * a filter, an order or a facet could see change. Told to the entity feed (migration 0020) with the rewrite.
 */
export function changedSearchKeys(before: readonly SearchRow[], after: readonly SearchRow[]): string[] {
  const byKey = (rows: readonly SearchRow[]) => {
    const m = new Map<string, string[]>();
    for (const r of rows) {
      const list = m.get(r.key) ?? [];
      list.push(JSON.stringify([r.value, r.originalValue]));
      m.set(r.key, list);
    }
    return m;
  };
  const [a, b] = [byKey(before), byKey(after)];
  const changed: string[] = [];
  for (const key of new Set([...a.keys(), ...b.keys()])) {
    const [x, y] = [(a.get(key) ?? []).sort(), (b.get(key) ?? []).sort()];
    if (x.length !== y.length || x.some((v, i) => v !== y[i])) changed.push(key);
  }
  return changed.sort();
}

function searchRowsOrNull(entity: Entity): SearchRow[] | null {
  try {
    return buildSearchRows(entity);
  } catch {
    return null;
  }
}

/**
 * Appends one entity's search rows as [ref, loc, [[key, value, original, ord], ...]] and their keys to
 * `keys`. Grouped by entity, the batch names each entity once rather than once per row (about 24 rows an
 * entity), and the distinct keys go separately, so SQLite parses neither twice. `original` is null where
 * storedOriginal says it can be; `ord` numbers an entity's rows of one key (migration 0018).
 */
function pushSearchRows(out: unknown[], keys: Set<string>, rows: SearchRow[], entity: Entity, ref: string, loc: string): void {
  const seen = new Map<string, number>();
  const own: unknown[] = [];
  for (const s of rows) {
    const ord = seen.get(s.key) ?? 0;
    seen.set(s.key, ord + 1);
    keys.add(s.key);
    own.push([s.key, s.value, storedOriginal(s, entity), ord]);
  }
  out.push([ref, loc, own]);
}

export async function applyFile(db: D1Database, w: FileWrite): Promise<FileReport> {
  return (await applyFiles(db, [w]))[0];
}

/**
 * Applies files in order, as if one after another, `filesPerBatch` to a D1 batch. A batch that fails is
 * retried file by file, so one file the database refuses does not hold back the others.
 */
export async function applyFiles(db: D1Database, writes: FileWrite[], filesPerBatch = FILES_PER_BATCH): Promise<FileReport[]> {
  const reports: FileReport[] = [];
  for (const group of groupsOfDistinctFiles(writes, filesPerBatch)) {
    try {
      reports.push(...(await applyGroup(db, group)));
    } catch (err) {
      if (group.length === 1) throw err;
      for (const w of group) reports.push(...(await applyGroup(db, [w])));
    }
  }
  return reports;
}

/**
 * Consecutive runs of at most `filesPerBatch` writes with distinct location keys (a group plans each file
 * once), closed early once they hold MAX_ENTITIES_PER_BATCH entities.
 */
export function groupsOfDistinctFiles(writes: FileWrite[], filesPerBatch = FILES_PER_BATCH): FileWrite[][] {
  const groups: FileWrite[][] = [];
  let current: FileWrite[] = [];
  let keys = new Set<string>();
  let entities = 0;
  for (const w of writes) {
    if (current.length && (current.length >= filesPerBatch || entities >= MAX_ENTITIES_PER_BATCH || keys.has(w.file.locationKey))) {
      groups.push(current);
      current = [];
      keys = new Set();
      entities = 0;
    }
    current.push(w);
    keys.add(w.file.locationKey);
    entities += w.file.entities.length;
  }
  if (current.length) groups.push(current);
  return groups;
}

/** Everything a group's batch writes, one list per statement kind; rows carry their file's location key. */
interface GroupRows {
  /** Rows to remove, by the change-log context of the file that stops emitting them (usually one). */
  removed: Map<string, { ctx: RemovalContext; pairs: [ref: string, loc: string][] }>;
  rewritten: [ref: string, loc: string][];
  entities: unknown[];
  /** Search rows by entity (pushSearchRows) and the distinct keys they use. */
  search: unknown[];
  searchKeys: Set<string>;
  /** relation_pairs rows: [origin, type, other, reverse type]. */
  relations: string[][];
  /** [ref, JSON array of changedSearchKeys] of each rewritten entity, for the entity feed's triggers. */
  feedKeys: [string, string][];
  problems: unknown[];
  files: unknown[];
  changes: unknown[];
}

async function applyGroup(db: D1Database, writes: FileWrite[]): Promise<FileReport[]> {
  const locs = writes.map((w) => w.file.locationKey);
  const locsJson = JSON.stringify(locs);
  const newRefsJson = JSON.stringify(writes.flatMap((w) => w.file.entities.map((p) => p.ref)));
  // One round trip (a batch, as every D1 call here is): the rows these files may replace.
  const [existingResult] = await db.batch([
    db
      .prepare(
        "SELECT ref, uid, etag AS hash, location_key AS locationKey, parent_ref AS parentRef, origin_key AS originKey, body FROM entities " +
          "WHERE location_key IN (SELECT value FROM json_each(?1)) OR ref IN (SELECT value FROM json_each(?2))",
      )
      .bind(locsJson, newRefsJson),
  ]);
  const existingRows = existingResult.results as ExistingRow[];
  // Who owns each ref as the files are planned in order: an earlier file's claims and removals count for later ones.
  const owners = new Map(existingRows.map((r) => [r.ref, r.locationKey]));
  const existing = new Map(existingRows.map((r) => [r.ref, r]));
  const rows: GroupRows = { removed: new Map(), rewritten: [], entities: [], search: [], searchKeys: new Set(), relations: [], feedKeys: [], problems: [], files: [], changes: [] };
  const reports: FileReport[] = [];
  for (const w of writes) reports.push(await planFile(w, existingRows, existing, owners, rows));

  const statements: D1PreparedStatement[] = [];
  const pairs = "SELECT e.id FROM json_each(?) j JOIN entities e ON e.ref = j.value->>0 AND e.location_key = j.value->>1";
  // The other ends of the pairs the rewritten entities emitted, noted before they are deleted (removals note
  // their own) and re-rendered once at the end (migration 0024).
  if (rows.rewritten.length) statements.push(noteRelationSources(db, "SELECT value FROM json_each(?)", [JSON.stringify(rows.rewritten.map((t) => t[0]))]));
  // Removed rows go first, so a ref one file drops and a later file of the group claims is free by then.
  for (const { ctx, pairs: removed } of rows.removed.values()) statements.push(...removalStatements(db, { sql: pairs, params: [JSON.stringify(removed)] }, ctx));
  // A rewritten row's search rows, emitted relations and counts are replaced.
  if (rows.rewritten.length) statements.push(...unindexStatements(db, { sql: pairs, params: [JSON.stringify(rows.rewritten)] }));
  // The keys each rewrite changes, read by the entity feed's trigger on the body (migration 0020); gone by the end.
  for (const chunk of jsonChunks(rows.feedKeys)) {
    statements.push(
      db
        .prepare("INSERT INTO entity_feed_keys (ref, keys) SELECT j.value->>0, j.value->>1 FROM json_each(?) j WHERE true ON CONFLICT(ref) DO UPDATE SET keys = excluded.keys")
        .bind(chunk),
    );
  }
  // The pairs go in before the entity rows, so each row is written once with its final relation list; the
  // refresh at the end then rewrites only the other ends whose lists changed.
  for (const chunk of jsonChunks(rows.relations)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO relation_pairs (origin_ref, type, other_ref, reverse_type)
           SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3 FROM json_each(?) j WHERE true ON CONFLICT DO NOTHING`,
        )
        .bind(chunk),
    );
  }
  for (const chunk of jsonChunks(rows.entities)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO entities (uid, etag, ref, kind, namespace, name, tags, body, relation_list,
             location_key, origin_key, parent_ref, provenance, created_at, updated_at)
           SELECT j.value->>'uid', j.value->>'etag', j.value->>'ref', j.value->>'kind', j.value->>'namespace',
             j.value->>'name', j.value->>'tags', j.value->>'body', ${relationListSql("(j.value->>'ref')")},
             j.value->>'loc', j.value->>'origin', j.value->>'parent', j.value->>'provenance',
             j.value->>'now', j.value->>'now'
           FROM json_each(?) j WHERE true
           ON CONFLICT(ref) DO UPDATE SET etag = excluded.etag, kind = excluded.kind, namespace = excluded.namespace,
             name = excluded.name, tags = excluded.tags,
             body = excluded.body, relation_list = excluded.relation_list, origin_key = excluded.origin_key,
             parent_ref = excluded.parent_ref, provenance = excluded.provenance, updated_at = excluded.updated_at,
             rev = entities.rev + (entities.body IS NOT excluded.body OR entities.relation_list IS NOT excluded.relation_list)
           WHERE entities.location_key = excluded.location_key`,
        )
        .bind(chunk),
    );
  }
  // Search rows name their key by search_keys id (migration 0015): new keys first, then the rows, keyed by
  // entity, key and ord (migration 0018). The rows go in the value index's order: inserted at random places, a
  // large index's pages fall out of SQLite's cache between neighbouring rows (100,000 entities: 88.9 s
  // against 116.4 s unsorted). More than one chunk goes through search_rows_staging, so the index is swept
  // once per batch, not once per chunk (migration 0022: 17.8 GB written for 100,000 entities against 19.3).
  for (const chunk of jsonChunks([...rows.searchKeys])) {
    statements.push(db.prepare("INSERT INTO search_keys (key) SELECT value FROM json_each(?) WHERE true ON CONFLICT(key) DO NOTHING").bind(chunk));
  }
  const searchChunks = jsonChunks(rows.search);
  const staged = searchChunks.length > 1;
  for (const chunk of searchChunks) {
    statements.push(
      db
        .prepare(
          `INSERT INTO ${staged ? "search_rows_staging" : "search_rows"} (entity_id, key_id, ord, value, original_value)
           SELECT e.id, k.id, r.value->>3, r.value->>1, r.value->>2 FROM json_each(?) j
           CROSS JOIN entities e ON e.ref = j.value->>0 AND e.location_key = j.value->>1
           CROSS JOIN json_each(j.value, '$[2]') r
           CROSS JOIN search_keys k ON k.key = r.value->>0
           ORDER BY k.id, r.value->>1`,
        )
        .bind(chunk),
    );
  }
  if (staged) {
    statements.push(
      db.prepare(
        "INSERT INTO search_rows (entity_id, key_id, ord, value, original_value) SELECT entity_id, key_id, ord, value, original_value FROM search_rows_staging WHERE true ORDER BY key_id, value",
      ),
      db.prepare("DELETE FROM search_rows_staging"),
    );
  }
  if (rows.rewritten.length) statements.push(...adjustFacetCounts(db, 1, pairs, [JSON.stringify(rows.rewritten)]));
  if (rows.rewritten.length || rows.removed.size) statements.push(...refreshNotedAnd(db, [...rows.rewritten.map((t) => t[0]), ...rows.relations.map((r) => r[2])]));
  statements.push(db.prepare("DELETE FROM processing_errors WHERE location_key IN (SELECT value FROM json_each(?)) AND plugin_id IS NULL").bind(locsJson));
  for (const chunk of jsonChunks(rows.problems)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO processing_errors (location_key, origin_key, entity_ref, doc_index, field, name, message, line, commit_sha, created_at)
           SELECT j.value->>'loc', j.value->>'origin', j.value->>'entityRef', j.value->>'docIndex', j.value->>'field', j.value->>'name',
             j.value->>'message', j.value->>'line', j.value->>'commitSha', j.value->>'now' FROM json_each(?) j`,
        )
        .bind(chunk),
    );
  }
  for (const chunk of jsonChunks(rows.files)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO files (location_key, origin_key, parent_ref, content_hash, commit_sha, commit_time, indexed_at)
           SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3, j.value->>4, j.value->>5, j.value->>6 FROM json_each(?) j WHERE true
           ON CONFLICT(location_key) DO UPDATE SET origin_key = excluded.origin_key, parent_ref = excluded.parent_ref,
             content_hash = excluded.content_hash, commit_sha = excluded.commit_sha, commit_time = excluded.commit_time,
             indexed_at = excluded.indexed_at`,
        )
        .bind(chunk),
    );
  }
  for (const chunk of jsonChunks(rows.changes)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO entity_changes (entity_ref, kind, owner, action, diff, location_key, commit_sha, actor, created_at)
           SELECT j.value->>'ref', j.value->>'kind', j.value->>'owner', j.value->>'action', j.value->>'diff',
             j.value->>'loc', j.value->>'commitSha', j.value->>'actor', j.value->>'now'
           FROM json_each(?) j`,
        )
        .bind(chunk),
    );
  }
  if (rows.feedKeys.length) statements.push(db.prepare("DELETE FROM entity_feed_keys"));
  statements.push(bumpCatalogVersion(db));
  await db.batch(statements);
  return reports;
}

/**
 * Decides what one file changes and appends its rows to the group's lists. `owners` is updated as if the
 * file had been written, so the next file of the group sees its claims and removals.
 */
async function planFile(
  w: FileWrite,
  existingRows: ExistingRow[],
  existing: Map<string, ExistingRow>,
  owners: Map<string, string>,
  rows: GroupRows,
): Promise<FileReport> {
  const { file } = w;
  const loc = file.locationKey;
  const now = w.now ?? Date.now();
  const commitSha = w.commit?.sha ?? null;
  const report: FileReport = { location: loc, added: [], updated: [], removed: [], unchanged: [], rejected: [...file.problems], conflicts: [] };
  const problems: ProcessingProblem[] = [...file.problems];
  const provenance = w.commit
    ? JSON.stringify({ repo: w.commit.repo ?? null, path: w.commit.path ?? null, commitSha: w.commit.sha, actor: w.commit.actor ?? null, committedAt: w.commit.time ?? null })
    : null;
  const change = (c: { ref: string; kind: string; owner: string | null; action: string; diff: string | null }) =>
    rows.changes.push({ ...c, loc, commitSha, actor: w.commit?.actor ?? null, now });

  for (const p of file.entities) {
    const owner = owners.get(p.ref);
    if (owner !== undefined && owner !== loc) {
      const problem: ProcessingProblem = {
        location: loc,
        docIndex: p.docIndex,
        entityRef: null,
        field: "metadata.name",
        line: null,
        name: "ConflictError",
        message: `Entity ${p.ref} is already provided by ${owner}; the copy in ${loc} was ignored`,
      };
      problems.push(problem);
      report.rejected.push(problem);
      report.conflicts.push(p.ref);
      continue;
    }
    // A row another file of this group removed before this one claimed the ref is gone by now.
    const prev = owner === loc ? existing.get(p.ref) : undefined;
    const hash = await sha1Hex(stableStringify(p.entity));
    if (prev && prev.hash === hash && prev.parentRef === w.parentRef && prev.originKey === w.originKey) {
      report.unchanged.push(p.ref);
      continue;
    }
    owners.set(p.ref, loc);
    // Time-ordered (UUIDv7, RFC 9562) rather than random: new uids land at the end of the uid index and of
    // the metadata.uid search rows' value index, not on a random page of each (Backstage's uid is opaque).
    const uid = prev?.uid ?? uuidv7();
    const entity = { ...p.entity, metadata: { ...p.entity.metadata, uid, etag: hash } };
    rows.entities.push({
      uid,
      etag: hash,
      ref: p.ref,
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? "default",
      name: entity.metadata.name,
      tags: Array.isArray(entity.metadata.tags) ? entity.metadata.tags.join(" ") : null,
      body: JSON.stringify(entity),
      loc,
      origin: w.originKey,
      parent: w.parentRef,
      provenance,
      now,
    });
    const searchRows = rowsWithIdentity(p.searchRows, entity, uid);
    pushSearchRows(rows.search, rows.searchKeys, searchRows, entity, p.ref, loc);
    const prevEntity = prev ? (JSON.parse(prev.body) as Entity) : undefined;
    if (prevEntity) {
      const before = searchRowsOrNull(prevEntity);
      // Unknown (the old version no longer indexes): no row, so the feed says every key may have changed.
      if (before) rows.feedKeys.push([p.ref, JSON.stringify(changedSearchKeys(before, searchRows))]);
    }
    for (const pair of relationPairs(p.ref, p.relations)) rows.relations.push(pair);
    rows.rewritten.push([p.ref, loc]);
    (prev ? report.updated : report.added).push(p.ref);
    change({
      ref: p.ref,
      kind: entity.kind,
      owner: ownerRefOf(entity),
      action: prev ? "updated" : "added",
      diff: prevEntity ? JSON.stringify(diffEntities(prevEntity, entity)) : null,
    });
  }

  if (file.complete) {
    const keep = new Set([...file.entities.map((p) => p.ref), ...file.keepRefs]);
    for (const prev of existingRows) {
      if (prev.locationKey !== loc || keep.has(prev.ref)) continue;
      owners.delete(prev.ref);
      report.removed.push(prev.ref);
      const ctx: RemovalContext = { commitSha, actor: w.commit?.actor ?? null, now };
      const key = JSON.stringify(ctx);
      if (!rows.removed.has(key)) rows.removed.set(key, { ctx, pairs: [] });
      rows.removed.get(key)!.pairs.push([prev.ref, loc]);
    }
  }
  for (const problem of problems) {
    const { entityRef, docIndex, field, name, message, line } = problem;
    rows.problems.push({ loc, origin: w.originKey, entityRef, docIndex, field, name, message, line, commitSha, now });
  }
  rows.files.push([loc, w.originKey, w.parentRef, w.contentHash, commitSha, w.commit?.time ?? null, now]);
  return report;
}

/**
 * Removes every entity a file emitted (the file was deleted or is no longer reached), with its relations,
 * errors and file row, in one D1 batch. `originKey` is taken for symmetry with writes: a file key has one
 * file row, so the key alone decides what goes.
 */
export async function removeFile(db: D1Database, locationKey: string, originKey: string, commit?: CommitInfo | null): Promise<FileReport> {
  const ctx: RemovalContext = { commitSha: commit?.sha ?? null, actor: commit?.actor ?? null, now: Date.now() };
  const [removed] = await db.batch([
    db.prepare("SELECT ref FROM entities WHERE location_key = ? ORDER BY id").bind(locationKey),
    ...removalStatements(db, { sql: "SELECT id FROM entities WHERE location_key = ?", params: [locationKey] }, ctx),
    ...refreshNotedAnd(db),
    db.prepare("DELETE FROM processing_errors WHERE location_key = ? AND plugin_id IS NULL").bind(locationKey),
    db.prepare("DELETE FROM files WHERE location_key = ?").bind(locationKey),
    bumpCatalogVersion(db),
  ]);
  const refs = (removed.results as { ref: string }[]).map((r) => r.ref);
  return { location: locationKey, added: [], updated: [], removed: refs, unchanged: [], rejected: [], conflicts: [] };
}
