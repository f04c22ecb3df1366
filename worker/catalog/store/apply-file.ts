/**
 * The write path: applies one processed descriptor file to the catalog in a single D1 batch, so a file is
 * never half-applied. Rules (Backstage's location-key semantics):
 * - the first file (location key) to emit a ref owns it; another file emitting it gets a ConflictError
 *   recorded against that file, and nothing is overwritten;
 * - an entity the file no longer emits is removed with the relations it emitted, but only when the file
 *   was fully understood (ProcessedFile.complete); a document that failed keeps its last good version;
 * - unchanged entities (same content hash) are not rewritten;
 * - every add/update/remove goes to the change log with a field diff;
 * - derived rows (stored relations of every entity on either end, facet counts) change in the same batch.
 */
import type { Entity, ProcessedFile, ProcessingProblem, SearchRow } from "../types";
import { buildSearchRows } from "../search-index";
import { sha1Hex, stableStringify } from "../hash";
import { diffEntities } from "../diff";
import { ownerRefOf } from "./owner";
import { adjustFacetCounts, refreshRelationsJson, relationSourcesOf } from "./derived";

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

/** Splits rows into chunks whose JSON stays well under D1's per-value limits (rows max 2 MB). */
function chunkBySize<T>(rows: T[], maxBytes = 900_000): T[][] {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const row of rows) {
    const n = JSON.stringify(row).length;
    if (current.length && size + n > maxBytes) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(row);
    size += n;
  }
  if (current.length) chunks.push(current);
  return chunks;
}

/**
 * The entity's search rows with the uid and etag the store just assigned. processFile built the rows
 * before those existed; reusing them saves building the index twice per entity on the hot write path.
 */
function rowsWithIdentity(rows: SearchRow[] | undefined, entity: Entity, uid: string, etag: string): SearchRow[] {
  if (!rows) return buildSearchRows(entity);
  const out = rows.filter((r) => r.key !== "metadata.uid" && r.key !== "metadata.etag");
  out.push({ key: "metadata.uid", value: uid, originalValue: uid }, { key: "metadata.etag", value: etag, originalValue: etag });
  return out;
}

export async function applyFile(db: D1Database, w: FileWrite): Promise<FileReport> {
  const { file } = w;
  const loc = file.locationKey;
  const now = w.now ?? Date.now();
  const newRefs = file.entities.map((p) => p.ref);
  const newRefsJson = JSON.stringify(newRefs);
  // One round trip: the rows this file may replace, and whose relations change if it does.
  const [existingResult, sourcesResult] = await db.batch([
    db
      .prepare(
        "SELECT ref, uid, hash, location_key AS locationKey, parent_ref AS parentRef, origin_key AS originKey, body " +
          "FROM entities WHERE location_key = ? OR ref IN (SELECT value FROM json_each(?))",
      )
      .bind(loc, newRefsJson),
    relationSourcesOf(db, "SELECT ref FROM entities WHERE location_key = ? UNION SELECT value FROM json_each(?)", [loc, newRefsJson]),
  ]);
  const existingRows = existingResult.results as ExistingRow[];
  const existing = new Map(existingRows.map((r) => [r.ref, r]));

  const report: FileReport = { location: loc, added: [], updated: [], removed: [], unchanged: [], rejected: [...file.problems] };
  const problems: ProcessingProblem[] = [...file.problems];
  const entityRows: unknown[] = [];
  const searchRows: unknown[][] = [];
  const relationRows: string[][] = [];
  const changes: unknown[] = [];
  const rewritten: string[] = [];
  const provenance = w.commit
    ? JSON.stringify({ repo: w.commit.repo ?? null, path: w.commit.path ?? null, commitSha: w.commit.sha, actor: w.commit.actor ?? null, committedAt: w.commit.time ?? null })
    : null;

  for (const p of file.entities) {
    const prev = existing.get(p.ref);
    if (prev && prev.locationKey !== loc) {
      const problem: ProcessingProblem = {
        location: loc,
        docIndex: p.docIndex,
        entityRef: null,
        field: "metadata.name",
        line: null,
        name: "ConflictError",
        message: `Entity ${p.ref} is already provided by ${prev.locationKey}; the copy in ${loc} was ignored`,
      };
      problems.push(problem);
      report.rejected.push(problem);
      continue;
    }
    const hash = await sha1Hex(stableStringify(p.entity));
    if (prev && prev.hash === hash && prev.parentRef === w.parentRef && prev.originKey === w.originKey) {
      report.unchanged.push(p.ref);
      continue;
    }
    const uid = prev?.uid ?? crypto.randomUUID();
    const entity = { ...p.entity, metadata: { ...p.entity.metadata, uid, etag: hash } };
    const ownerRef = ownerRefOf(entity);
    entityRows.push({
      uid,
      etag: hash,
      ref: p.ref,
      kind: entity.kind,
      namespace: entity.metadata.namespace ?? "default",
      name: entity.metadata.name,
      title: typeof entity.metadata.title === "string" ? entity.metadata.title : null,
      description: typeof entity.metadata.description === "string" ? entity.metadata.description : null,
      tags: Array.isArray(entity.metadata.tags) ? entity.metadata.tags.join(" ") : null,
      body: JSON.stringify(entity),
      hash,
    });
    for (const s of rowsWithIdentity(p.searchRows, entity, uid, hash)) searchRows.push([s.key, s.value, s.originalValue, p.ref]);
    for (const r of p.relations) relationRows.push([r.sourceRef, r.type, r.targetRef, p.ref]);
    rewritten.push(p.ref);
    (prev ? report.updated : report.added).push(p.ref);
    changes.push({
      ref: p.ref,
      kind: entity.kind,
      owner: ownerRef,
      action: prev ? "updated" : "added",
      diff: prev ? JSON.stringify(diffEntities(JSON.parse(prev.body), entity)) : null,
    });
  }

  if (file.complete) {
    const keep = new Set([...newRefs, ...file.keepRefs]);
    for (const prev of existingRows) {
      if (prev.locationKey !== loc || keep.has(prev.ref)) continue;
      report.removed.push(prev.ref);
      const body = JSON.parse(prev.body);
      changes.push({ ref: prev.ref, kind: body.kind, owner: ownerRefOf(body), action: "removed", diff: null });
    }
  }

  const touched = [...rewritten, ...report.removed];
  const touchedJson = JSON.stringify(touched);
  const ownedIds = "SELECT id FROM entities WHERE location_key = ? AND ref IN (SELECT value FROM json_each(?))";
  const statements: D1PreparedStatement[] = [];
  if (touched.length) {
    // Uncount before the search and entity rows change: the adjustment reads the entity's current kind.
    statements.push(
      ...adjustFacetCounts(db, -1, ownedIds, [loc, touchedJson]),
      db.prepare(`DELETE FROM search WHERE entity_id IN (${ownedIds})`).bind(loc, touchedJson),
      db.prepare("DELETE FROM relations WHERE origin_ref IN (SELECT value FROM json_each(?))").bind(JSON.stringify(touched)),
    );
  }
  if (report.removed.length) {
    statements.push(
      db.prepare("DELETE FROM entities WHERE location_key = ? AND ref IN (SELECT value FROM json_each(?))").bind(loc, JSON.stringify(report.removed)),
    );
  }
  for (const chunk of chunkBySize(entityRows)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO entities (uid, etag, ref, kind, namespace, name, title, description, tags, body, hash,
             location_key, origin_key, parent_ref, provenance, created_at, updated_at)
           SELECT j.value->>'uid', j.value->>'etag', j.value->>'ref', j.value->>'kind', j.value->>'namespace',
             j.value->>'name', j.value->>'title', j.value->>'description', j.value->>'tags', j.value->>'body',
             j.value->>'hash', ?1, ?2, ?3, ?4, ?5, ?5
           FROM json_each(?6) j WHERE true
           ON CONFLICT(ref) DO UPDATE SET etag = excluded.etag, kind = excluded.kind, namespace = excluded.namespace,
             name = excluded.name, title = excluded.title, description = excluded.description, tags = excluded.tags,
             body = excluded.body, hash = excluded.hash, origin_key = excluded.origin_key,
             parent_ref = excluded.parent_ref, provenance = excluded.provenance, updated_at = excluded.updated_at
           WHERE entities.location_key = excluded.location_key`,
        )
        .bind(loc, w.originKey, w.parentRef, provenance, now, JSON.stringify(chunk)),
    );
  }
  for (const chunk of chunkBySize(searchRows)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO search (entity_id, key, value, original_value)
           SELECT e.id, j.value->>0, j.value->>1, j.value->>2 FROM json_each(?) j
           CROSS JOIN entities e ON e.ref = j.value->>3 AND e.location_key = ?`,
        )
        .bind(JSON.stringify(chunk), loc),
    );
  }
  if (rewritten.length) statements.push(...adjustFacetCounts(db, 1, ownedIds, [loc, JSON.stringify(rewritten)]));
  for (const chunk of chunkBySize(relationRows)) {
    statements.push(
      db
        .prepare(
          `INSERT INTO relations (source_ref, type, target_ref, origin_ref)
           SELECT j.value->>0, j.value->>1, j.value->>2, j.value->>3 FROM json_each(?) j`,
        )
        .bind(JSON.stringify(chunk)),
    );
  }
  if (touched.length) {
    const sources = (sourcesResult.results as { ref: string }[]).map((r) => r.ref);
    statements.push(refreshRelationsJson(db, [...touched, ...sources, ...relationRows.map((r) => r[0])]));
  }
  statements.push(db.prepare("DELETE FROM processing_errors WHERE location_key = ?").bind(loc));
  if (problems.length) {
    statements.push(
      db
        .prepare(
          `INSERT INTO processing_errors (location_key, origin_key, entity_ref, doc_index, field, name, message, line, commit_sha, created_at)
           SELECT ?1, ?2, j.value->>'entityRef', j.value->>'docIndex', j.value->>'field', j.value->>'name',
             j.value->>'message', j.value->>'line', ?3, ?4 FROM json_each(?5) j`,
        )
        .bind(loc, w.originKey, w.commit?.sha ?? null, now, JSON.stringify(problems)),
    );
  }
  statements.push(
    db
      .prepare(
        `INSERT INTO files (location_key, origin_key, parent_ref, content_hash, commit_sha, commit_time, indexed_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
         ON CONFLICT(location_key) DO UPDATE SET origin_key = excluded.origin_key, parent_ref = excluded.parent_ref,
           content_hash = excluded.content_hash, commit_sha = excluded.commit_sha, commit_time = excluded.commit_time,
           indexed_at = excluded.indexed_at`,
      )
      .bind(loc, w.originKey, w.parentRef, w.contentHash, w.commit?.sha ?? null, w.commit?.time ?? null, now),
  );
  if (changes.length) {
    statements.push(
      db
        .prepare(
          `INSERT INTO entity_changes (entity_ref, kind, owner, action, diff, location_key, commit_sha, actor, created_at)
           SELECT j.value->>'ref', j.value->>'kind', j.value->>'owner', j.value->>'action', j.value->>'diff', ?1, ?2, ?3, ?4
           FROM json_each(?5) j`,
        )
        .bind(loc, w.commit?.sha ?? null, w.commit?.actor ?? null, now, JSON.stringify(changes)),
    );
  }
  await db.batch(statements);
  return report;
}

/** Removes every entity a file emitted (the file was deleted), with its relations, errors and file row. */
export async function removeFile(db: D1Database, locationKey: string, originKey: string, commit?: CommitInfo | null): Promise<FileReport> {
  const report = await applyFile(db, {
    file: { locationKey, entities: [], problems: [], complete: true, keepRefs: [], locationTargets: [] },
    originKey,
    parentRef: null,
    contentHash: null,
    commit,
  });
  await db.batch([
    db.prepare("DELETE FROM files WHERE location_key = ?").bind(locationKey),
    db.prepare("DELETE FROM processing_errors WHERE location_key = ?").bind(locationKey),
  ]);
  return report;
}
