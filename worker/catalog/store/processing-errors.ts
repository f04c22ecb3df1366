/** Processing errors recorded against files and entities (plugins' problems with entities among them), and an entity's provenance. */
import type { EntityInfo } from "../../../contract/catalog-api";
import type { ProcessingError } from "../../../contract/entity";

/** The API's shape (contract/entity.ts), which the portal reads too. */
export type ProcessingErrorItem = ProcessingError;
export type { EntityInfo };

const SELECT_ERRORS =
  "SELECT location_key AS location, entity_ref AS entityRef, doc_index AS docIndex, field, line, name, message, commit_sha AS commitSha, created_at AS createdAt, plugin_id AS plugin FROM processing_errors";

type ErrorRow = Omit<ProcessingErrorItem, "createdAt" | "plugin"> & { createdAt: number; plugin: string | null };
// `plugin` only on a plugin's problems (contract/entity.ts), so the catalog's own items keep their shape.
const toItem = ({ plugin, ...r }: ErrorRow): ProcessingErrorItem => ({ ...r, createdAt: new Date(r.createdAt).toISOString(), ...(plugin ? { plugin } : {}) });

export async function listProcessingErrors(
  db: D1Database,
  q: { entityRef?: string; location?: string; limit: number },
): Promise<ProcessingErrorItem[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.entityRef) (where.push("entity_ref = ?"), params.push(q.entityRef.toLowerCase()));
  if (q.location) (where.push("location_key = ?"), params.push(q.location));
  const sql = `${SELECT_ERRORS}${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
  const { results } = await db.prepare(sql).bind(...params, q.limit).all<ErrorRow>();
  return results.map(toItem);
}

/** Where an entity came from and what went wrong with its file: two statements, one round trip. */
export async function getEntityInfo(db: D1Database, ref: string): Promise<EntityInfo | null> {
  const lower = ref.toLowerCase();
  const [info, errors] = await db.batch([
    db.prepare("SELECT ref, location_key AS locationKey, origin_key AS originKey, provenance, created_at AS createdAt, updated_at AS updatedAt FROM entities WHERE ref = ?").bind(lower),
    db.prepare(`${SELECT_ERRORS} WHERE location_key = (SELECT location_key FROM entities WHERE ref = ?1) OR entity_ref = ?1 ORDER BY id DESC LIMIT 50`).bind(lower),
  ]);
  const row = info.results[0] as { ref: string; locationKey: string; originKey: string; provenance: string | null; createdAt: number; updatedAt: number } | undefined;
  if (!row) return null;
  return {
    ref: row.ref,
    locationKey: row.locationKey,
    originKey: row.originKey,
    provenance: row.provenance ? JSON.parse(row.provenance) : null,
    createdAt: new Date(row.createdAt).toISOString(),
    updatedAt: new Date(row.updatedAt).toISOString(),
    errors: (errors.results as ErrorRow[]).map(toItem),
  };
}
