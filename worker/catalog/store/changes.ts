/** The change log: what each reindex added, updated (with a field diff) or removed. */
import type { ChangeItem } from "../../../contract/catalog-api";

export interface ChangeQuery {
  entityRef?: string;
  owner?: string;
  since?: number;
  beforeId?: number;
  limit: number;
}

/** The API's shape (contract/catalog-api.ts), which the portal reads too. */
export type { ChangeItem };

interface ChangeRow {
  id: number;
  entityRef: string;
  kind: string;
  owner: string | null;
  action: ChangeItem["action"];
  diff: string | null;
  location: string;
  commitSha: string | null;
  actor: string | null;
  createdAt: number;
}

export async function listChanges(db: D1Database, q: ChangeQuery): Promise<{ items: ChangeItem[]; hasMore: boolean }> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.entityRef) (where.push("entity_ref = ?"), params.push(q.entityRef.toLowerCase()));
  if (q.owner) (where.push("owner = ?"), params.push(q.owner.toLowerCase()));
  if (q.since !== undefined) (where.push("created_at >= ?"), params.push(q.since));
  if (q.beforeId !== undefined) (where.push("id < ?"), params.push(q.beforeId));
  const sql =
    "SELECT id, entity_ref AS entityRef, kind, owner, action, diff, location_key AS location, commit_sha AS commitSha, actor, created_at AS createdAt " +
    `FROM entity_changes${where.length ? ` WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`;
  const { results } = await db.prepare(sql).bind(...params, q.limit + 1).all<ChangeRow>();
  const items = results.slice(0, q.limit).map((r) => ({
    ...r,
    diff: r.diff ? (JSON.parse(r.diff) as ChangeItem["diff"]) : null,
    createdAt: new Date(r.createdAt).toISOString(),
  }));
  return { items, hasMore: results.length > q.limit };
}
