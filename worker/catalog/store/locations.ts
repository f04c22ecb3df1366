/**
 * Registered locations (Backstage's POST /locations and our catalog:load roots). Each one is also a
 * generated `location:default/generated-<sha1>` entity, the root every entity read through it descends from.
 */
import { generatedLocationEntity } from "../location-url";
import { stringifyEntityRef } from "../entity-ref";
import type { LocationSpec } from "../types";
import { ApiError } from "../../errors";
import { applyFile } from "./apply-file";
import { bumpCatalogVersion, refreshNotedAnd } from "./derived";
import { removalStatements } from "./remove-entities";

export interface Location {
  id: string;
  type: string;
  target: string;
  entityRef: string;
}

interface LocationRow {
  id: string;
  type: string;
  target: string;
  key: string;
}

export const locationKeyOf = (l: LocationSpec): string => `${l.type}:${l.target}`;
/** Key the generated Location entity is stored under; distinct from any file's key, so reading the file never removes it. */
const registryKeyOf = (l: LocationSpec): string => `registered:${locationKeyOf(l)}`;

async function toLocation(row: LocationRow): Promise<Location> {
  const entity = await generatedLocationEntity({ type: row.type, target: row.target });
  return { id: row.id, type: row.type, target: row.target, entityRef: stringifyEntityRef(entity) };
}

export async function listLocations(db: D1Database): Promise<Location[]> {
  const { results } = await db.prepare("SELECT id, type, target, key FROM locations ORDER BY created_at, id").all<LocationRow>();
  return Promise.all(results.map(toLocation));
}

export async function getLocation(db: D1Database, id: string): Promise<Location | null> {
  const row = await db.prepare("SELECT id, type, target, key FROM locations WHERE id = ?").bind(id).first<LocationRow>();
  return row ? toLocation(row) : null;
}

export async function findLocationByKey(db: D1Database, key: string): Promise<Location | null> {
  const row = await db.prepare("SELECT id, type, target, key FROM locations WHERE key = ?").bind(key).first<LocationRow>();
  return row ? toLocation(row) : null;
}

/** The registered location an entity was read through (its origin), or null. */
export async function getLocationByEntityRef(db: D1Database, ref: string): Promise<Location | null> {
  const row = await db
    .prepare("SELECT l.id, l.type, l.target, l.key FROM entities e JOIN locations l ON l.key = e.origin_key WHERE e.ref = ?")
    .bind(ref.toLowerCase())
    .first<LocationRow>();
  return row ? toLocation(row) : null;
}

/** Registers a location and writes its generated Location entity. Throws ConflictError when it exists. */
export async function createLocation(db: D1Database, spec: LocationSpec): Promise<Location> {
  const key = locationKeyOf(spec);
  if (await findLocationByKey(db, key)) throw new ApiError("ConflictError", `Location ${key} already exists`);
  const id = crypto.randomUUID();
  const entity = await generatedLocationEntity(spec);
  const ref = stringifyEntityRef(entity);
  await db
    .prepare("INSERT INTO locations (id, type, target, key, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT(key) DO NOTHING")
    .bind(id, spec.type, spec.target, key, Date.now())
    .run();
  const created = await findLocationByKey(db, key);
  if (!created || created.id !== id) throw new ApiError("ConflictError", `Location ${key} already exists`);
  await applyFile(db, {
    file: { locationKey: registryKeyOf(spec), entities: [{ entity, ref, relations: [], docIndex: 0 }], problems: [], complete: true, keepRefs: [], locationTargets: [] },
    originKey: key,
    parentRef: null,
    contentHash: null,
  });
  return created;
}

/**
 * Unregisters a location and deletes everything read through it (Backstage's subtree delete): its files'
 * entities and the generated Location entity (all stored under the location's key as origin), their derived
 * rows, files and processing errors, in one D1 batch, so a failure leaves the catalog as it was. Rows are
 * chosen in SQL from the id, so the batch needs no read before it and stays the same size for a location
 * with ten files or ten thousand. Returns whether the location existed.
 */
export async function deleteLocation(db: D1Database, id: string): Promise<boolean> {
  const origin = "(SELECT key FROM locations WHERE id = ?)";
  const results = await db.batch([
    ...removalStatements(db, { sql: `SELECT id FROM entities WHERE origin_key = ${origin}`, params: [id] }, { commitSha: null, actor: null, now: Date.now() }),
    ...refreshNotedAnd(db),
    db.prepare(`DELETE FROM processing_errors WHERE origin_key = ${origin} AND plugin_id IS NULL`).bind(id),
    db.prepare(`DELETE FROM files WHERE origin_key = ${origin}`).bind(id),
    bumpCatalogVersion(db),
    db.prepare("DELETE FROM locations WHERE id = ?").bind(id),
  ]);
  return (results[results.length - 1].meta.changes ?? 0) > 0;
}

/** Keys of every file read through a registered location, with their parents. */
export async function listFilesOfOrigin(
  db: D1Database,
  originKey: string,
): Promise<{ locationKey: string; contentHash: string | null; parentRef: string | null }[]> {
  const { results } = await db
    .prepare("SELECT location_key AS locationKey, content_hash AS contentHash, parent_ref AS parentRef FROM files WHERE origin_key = ?")
    .bind(originKey)
    .all<{ locationKey: string; contentHash: string | null; parentRef: string | null }>();
  return results;
}
