/**
 * github_deliveries: one row per X-GitHub-Delivery. GitHub reuses the id when a delivery is redelivered,
 * so the row decides whether a delivery is new (process), a duplicate (skip) or a retry of a failure (run).
 */
export type DeliveryStatus = "queued" | "done" | "ignored" | "failed" | "dead";

export interface Delivery {
  id: string;
  event: string;
  action: string | null;
  repo: string | null;
  status: DeliveryStatus;
  detail: string | null;
  attempts: number;
  receivedAt: string;
  updatedAt: string;
}

type Row = Omit<Delivery, "receivedAt" | "updatedAt"> & { receivedAt: number; updatedAt: number };
const COLUMNS = "id, event, action, repo, status, detail, attempts, received_at AS receivedAt, updated_at AS updatedAt";
const toDelivery = (r: Row): Delivery => ({ ...r, receivedAt: new Date(r.receivedAt).toISOString(), updatedAt: new Date(r.updatedAt).toISOString() });

/** A queued job that has not settled within this long is presumed lost, so a redelivery may run it again. */
const STALE_QUEUED_MS = 15 * 60_000;

/**
 * Claims a delivery for processing: true for a new delivery, or a redelivery of one that failed, died or
 * got stuck; false for a duplicate of one that is done, ignored or still in flight.
 */
export async function claimDelivery(db: D1Database, d: { id: string; event: string; action: string | null; repo: string | null }): Promise<boolean> {
  const now = Date.now();
  const row = await db
    .prepare(
      `INSERT INTO github_deliveries (id, event, action, repo, status, detail, attempts, received_at, updated_at)
       VALUES (?1, ?2, ?3, ?4, 'queued', NULL, 0, ?5, ?5)
       ON CONFLICT(id) DO UPDATE SET status = 'queued', detail = NULL, updated_at = ?5
       WHERE github_deliveries.status IN ('failed', 'dead') OR (github_deliveries.status = 'queued' AND github_deliveries.updated_at < ?6)
       RETURNING id`,
    )
    .bind(d.id, d.event, d.action, d.repo, now, now - STALE_QUEUED_MS)
    .first<{ id: string }>();
  return row !== null;
}

/** Records a delivery that needs no job (ping, ignored and unsupported events); a duplicate changes nothing. */
export async function recordDelivery(
  db: D1Database,
  d: { id: string; event: string; action: string | null; repo: string | null; status: "done" | "ignored"; detail: string },
): Promise<boolean> {
  const now = Date.now();
  const res = await db
    .prepare(
      `INSERT INTO github_deliveries (id, event, action, repo, status, detail, attempts, received_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, 0, ?, ?) ON CONFLICT(id) DO NOTHING`,
    )
    .bind(d.id, d.event, d.action, d.repo, d.status, d.detail, now, now)
    .run();
  return res.meta.changes === 1;
}

export async function settleDelivery(db: D1Database, id: string, status: DeliveryStatus, detail: string | null, attempts: number): Promise<void> {
  await db
    .prepare("UPDATE github_deliveries SET status = ?, detail = ?, attempts = max(attempts, ?), updated_at = ? WHERE id = ?")
    .bind(status, detail?.slice(0, 2000) ?? null, attempts, Date.now(), id)
    .run();
}

export async function getDelivery(db: D1Database, id: string): Promise<Delivery | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM github_deliveries WHERE id = ?`).bind(id).first<Row>();
  return row ? toDelivery(row) : null;
}

export async function listDeliveries(db: D1Database, q: { status?: string; limit: number }): Promise<Delivery[]> {
  const where = q.status ? " WHERE status = ?" : "";
  const stmt = db.prepare(`SELECT ${COLUMNS} FROM github_deliveries${where} ORDER BY received_at DESC LIMIT ?`);
  const { results } = await (q.status ? stmt.bind(q.status, q.limit) : stmt.bind(q.limit)).all<Row>();
  return results.map(toDelivery);
}

/** GitHub can only redeliver the last 30 days, so older rows serve no dedupe purpose. */
export async function pruneDeliveries(db: D1Database, olderThan: number): Promise<void> {
  await db.prepare("DELETE FROM github_deliveries WHERE received_at < ?").bind(olderThan).run();
}
