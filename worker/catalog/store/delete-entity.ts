import { adjustFacetCounts, bumpCatalogVersion, refreshRelationsJson, relationSourcesOf } from "./derived";

/**
 * Explicit deletion of one entity row (DELETE /entities/by-uid). Like Backstage, its file still emits it,
 * so the next read of that file brings it back; the file's hash is cleared to make sure it does.
 */
export async function deleteEntityByUid(db: D1Database, uid: string): Promise<boolean> {
  const [rowResult, sourcesResult] = await db.batch([
    db.prepare("SELECT id, ref, location_key AS locationKey FROM entities WHERE uid = ?").bind(uid),
    relationSourcesOf(db, "SELECT ref FROM entities WHERE uid = ?", [uid]),
  ]);
  const row = rowResult.results[0] as { id: number; ref: string; locationKey: string } | undefined;
  if (!row) return false;
  const sources = (sourcesResult.results as { ref: string }[]).map((r) => r.ref);
  await db.batch([
    db.prepare(
      "INSERT INTO entity_changes (entity_ref, kind, owner, action, diff, location_key, commit_sha, actor, created_at) VALUES (?, (SELECT kind FROM entities WHERE id = ?), NULL, 'removed', NULL, ?, NULL, 'api', ?)",
    ).bind(row.ref, row.id, row.locationKey, Date.now()),
    ...adjustFacetCounts(db, -1, "SELECT ?", [row.id]),
    db.prepare("DELETE FROM search WHERE entity_id = ?").bind(row.id),
    db.prepare("DELETE FROM relations WHERE origin_ref = ?").bind(row.ref),
    db.prepare("DELETE FROM entities WHERE id = ?").bind(row.id),
    refreshRelationsJson(db, sources),
    db.prepare("UPDATE files SET content_hash = NULL WHERE location_key = ?").bind(row.locationKey),
    bumpCatalogVersion(db),
  ]);
  return true;
}
