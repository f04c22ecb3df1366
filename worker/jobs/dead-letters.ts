/** job_dead_letters: queue messages that kept failing, kept with their last error for admins to inspect and replay. */
export interface DeadLetter {
  id: number;
  type: string;
  body: unknown;
  error: string;
  attempts: number;
  deliveryId: string | null;
  createdAt: string;
  replayedAt: string | null;
}

type Row = Omit<DeadLetter, "body" | "createdAt" | "replayedAt"> & { body: string; createdAt: number; replayedAt: number | null };
const COLUMNS = "id, type, body, error, attempts, delivery_id AS deliveryId, created_at AS createdAt, replayed_at AS replayedAt";
const toDeadLetter = (r: Row): DeadLetter => ({
  ...r,
  body: JSON.parse(r.body),
  createdAt: new Date(r.createdAt).toISOString(),
  replayedAt: r.replayedAt === null ? null : new Date(r.replayedAt).toISOString(),
});

export async function addDeadLetter(db: D1Database, d: { type: string; body: unknown; error: string; attempts: number; deliveryId: string | null }): Promise<void> {
  await db
    .prepare("INSERT INTO job_dead_letters (type, body, error, attempts, delivery_id, created_at) VALUES (?, ?, ?, ?, ?, ?)")
    .bind(d.type, JSON.stringify(d.body), d.error.slice(0, 4000), d.attempts, d.deliveryId, Date.now())
    .run();
}

export async function listDeadLetters(db: D1Database, q: { pending?: boolean; limit: number }): Promise<DeadLetter[]> {
  const where = q.pending ? " WHERE replayed_at IS NULL" : "";
  const { results } = await db.prepare(`SELECT ${COLUMNS} FROM job_dead_letters${where} ORDER BY id DESC LIMIT ?`).bind(q.limit).all<Row>();
  return results.map(toDeadLetter);
}

export async function getDeadLetter(db: D1Database, id: number): Promise<DeadLetter | null> {
  const row = await db.prepare(`SELECT ${COLUMNS} FROM job_dead_letters WHERE id = ?`).bind(id).first<Row>();
  return row ? toDeadLetter(row) : null;
}

export async function markReplayed(db: D1Database, id: number): Promise<void> {
  await db.prepare("UPDATE job_dead_letters SET replayed_at = ? WHERE id = ?").bind(Date.now(), id).run();
}
