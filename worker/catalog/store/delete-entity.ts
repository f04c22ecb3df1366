/** DELETE /entities/by-uid: removes one entity row and its derived rows in one D1 batch. */
import { bumpCatalogVersion, refreshNotedAnd } from "./derived";
import { removalStatements } from "./remove-entities";

/**
 * Explicit deletion of one entity row. Like Backstage, its file still emits it, so the next read of that
 * file brings it back; the file's hash is cleared (before the row that names the file goes) to make sure
 * it does. Returns whether a row was deleted.
 */
export async function deleteEntityByUid(db: D1Database, uid: string): Promise<boolean> {
  const removal = removalStatements(db, { sql: "SELECT id FROM entities WHERE uid = ?", params: [uid] }, { commitSha: null, actor: "api", now: Date.now() });
  const results = await db.batch([
    db.prepare("UPDATE files SET content_hash = NULL WHERE location_key = (SELECT location_key FROM entities WHERE uid = ?)").bind(uid),
    ...removal,
    ...refreshNotedAnd(db),
    bumpCatalogVersion(db),
  ]);
  // The removal's last statement deletes the entity row.
  return (results[removal.length].meta.changes ?? 0) > 0;
}
