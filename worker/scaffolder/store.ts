/**
 * Every query on the scaffolder tables (migrations 0013, 0017): tasks, their steps and their events. Rows are
 * mapped to Backstage's task shapes here, once.
 */
import { deleteInChunks } from "../db/retention";

export type TaskStatus = "open" | "processing" | "completed" | "failed" | "cancelled";
export type StepStatus = "open" | "processing" | "completed" | "failed" | "skipped" | "cancelled";

export interface StoredTaskSpec {
  apiVersion: string;
  templateInfo: { entityRef: string; baseUrl: string | null; entity?: { metadata: Record<string, unknown> } };
  parameters: Record<string, unknown>;
  steps: { id: string; name: string; action: string; input?: Record<string, unknown>; if?: string | boolean; each?: unknown }[];
  output: Record<string, unknown>;
  user: { ref: string | null; entity?: Record<string, unknown> };
  /** Property paths (JSON of the segments) of the parameters that were secrets; their values are masked above. */
  secretFields: string[];
}

export interface Task {
  id: string;
  spec: StoredTaskSpec;
  status: TaskStatus;
  createdBy: string | null;
  createdAt: string;
  lastHeartbeatAt: string | null;
  output: Record<string, unknown> | null;
  error: string | null;
}

export interface TaskStep {
  id: string;
  position: number;
  name: string;
  action: string;
  status: StepStatus;
  startedAt: string | null;
  endedAt: string | null;
  output: Record<string, unknown> | null;
  error: string | null;
}

export interface TaskEvent {
  id: number;
  taskId: string;
  type: "log" | "completion" | "cancelled";
  body: Record<string, unknown>;
  createdAt: string;
}

type TaskRow = { id: string; spec: string; status: TaskStatus; created_by: string | null; created_at: string; last_heartbeat_at: string | null; output: string | null; error: string | null };
type StepRow = { step_id: string; position: number; name: string; action: string; status: StepStatus; started_at: string | null; ended_at: string | null; output: string | null; error: string | null };
type EventRow = { id: number; task_id: string; type: TaskEvent["type"]; body: string; created_at: string };

const now = () => new Date().toISOString();

function toTask(r: TaskRow): Task {
  return {
    id: r.id,
    spec: JSON.parse(r.spec),
    status: r.status,
    createdBy: r.created_by,
    createdAt: r.created_at,
    lastHeartbeatAt: r.last_heartbeat_at,
    output: r.output ? JSON.parse(r.output) : null,
    error: r.error,
  };
}

const toStep = (r: StepRow): TaskStep => ({
  id: r.step_id,
  position: r.position,
  name: r.name,
  action: r.action,
  status: r.status,
  startedAt: r.started_at,
  endedAt: r.ended_at,
  output: r.output ? JSON.parse(r.output) : null,
  error: r.error,
});

const toEvent = (r: EventRow): TaskEvent => ({ id: r.id, taskId: r.task_id, type: r.type, body: JSON.parse(r.body), createdAt: r.created_at });

/** The task and one open row per step, in one batch. */
export async function createTask(db: D1Database, t: { id: string; spec: StoredTaskSpec; createdBy: string | null }): Promise<void> {
  const at = now();
  await db.batch([
    db
      .prepare("INSERT INTO scaffolder_tasks (id, template_ref, spec, status, created_by, created_at) VALUES (?1, ?2, ?3, 'open', ?4, ?5)")
      .bind(t.id, t.spec.templateInfo.entityRef, JSON.stringify(t.spec), t.createdBy, at),
    ...t.spec.steps.map((s, i) =>
      db.prepare("INSERT INTO scaffolder_steps (task_id, step_id, position, name, action, status) VALUES (?1, ?2, ?3, ?4, ?5, 'open')").bind(t.id, s.id, i, s.name, s.action),
    ),
  ]);
}

export async function getTask(db: D1Database, id: string): Promise<Task | null> {
  const row = await db.prepare("SELECT * FROM scaffolder_tasks WHERE id = ?1").bind(id).first<TaskRow>();
  return row ? toTask(row) : null;
}

export async function listTasks(db: D1Database, q: { createdBy?: string; limit: number; offset: number }): Promise<{ tasks: Task[]; total: number }> {
  const where = q.createdBy ? "WHERE created_by = ?1" : "";
  const args = q.createdBy ? [q.createdBy] : [];
  const [rows, count] = await db.batch<unknown>([
    db.prepare(`SELECT * FROM scaffolder_tasks ${where} ORDER BY created_at DESC, id DESC LIMIT ${q.limit} OFFSET ${q.offset}`).bind(...args),
    db.prepare(`SELECT count(*) AS n FROM scaffolder_tasks ${where}`).bind(...args),
  ]);
  return { tasks: (rows.results as TaskRow[]).map(toTask), total: Number((count.results[0] as { n: number }).n) };
}

export async function listSteps(db: D1Database, taskId: string): Promise<TaskStep[]> {
  const { results } = await db.prepare("SELECT * FROM scaffolder_steps WHERE task_id = ?1 ORDER BY position").bind(taskId).all<StepRow>();
  return results.map(toStep);
}

/** Moves the task to `status` unless it already ended (a cancelled task stays cancelled). Returns whether it moved. */
export async function setTaskStatus(db: D1Database, id: string, status: TaskStatus, extra: { output?: unknown; error?: string } = {}): Promise<boolean> {
  const res = await db
    .prepare(
      "UPDATE scaffolder_tasks SET status = ?2, last_heartbeat_at = ?3, output = coalesce(?4, output), error = coalesce(?5, error) WHERE id = ?1 AND status NOT IN ('completed', 'failed', 'cancelled')",
    )
    .bind(id, status, now(), extra.output === undefined ? null : JSON.stringify(extra.output), extra.error ?? null)
    .run();
  return res.meta.changes > 0;
}

/** A step moving is also the task's heartbeat, which stale-task recovery reads (recover.ts). */
export async function setStepStatus(db: D1Database, taskId: string, stepId: string, status: StepStatus, extra: { output?: unknown; error?: string } = {}): Promise<void> {
  const at = now();
  await db.batch([
    db.prepare("UPDATE scaffolder_tasks SET last_heartbeat_at = ?2 WHERE id = ?1").bind(taskId, at),
    db
    .prepare(
      `UPDATE scaffolder_steps SET status = ?3,
         started_at = CASE WHEN ?3 = 'processing' THEN ?4 ELSE coalesce(started_at, ?4) END,
         ended_at = CASE WHEN ?3 IN ('completed', 'failed', 'skipped', 'cancelled') THEN ?4 ELSE NULL END,
         output = coalesce(?5, output), error = coalesce(?6, error)
       WHERE task_id = ?1 AND step_id = ?2`,
    )
    .bind(taskId, stepId, status, at, extra.output === undefined ? null : JSON.stringify(extra.output), extra.error ?? null),
  ]);
}

export async function touchTask(db: D1Database, id: string): Promise<void> {
  await db.prepare("UPDATE scaffolder_tasks SET last_heartbeat_at = ?2 WHERE id = ?1").bind(id, now()).run();
}

/** Tasks still processing whose last heartbeat is older than `before` (ISO time). */
export async function listStaleTasks(db: D1Database, before: string, limit = 20): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT id FROM scaffolder_tasks WHERE status = 'processing' AND coalesce(last_heartbeat_at, created_at) < ?1 ORDER BY created_at LIMIT ?2")
    .bind(before, limit)
    .all<{ id: string }>();
  return results.map((r) => r.id);
}

/** Steps that never ran are cancelled (or skipped) when the task ends early. */
export async function closeOpenSteps(db: D1Database, taskId: string, status: StepStatus): Promise<void> {
  await db.prepare("UPDATE scaffolder_steps SET status = ?2, ended_at = ?3 WHERE task_id = ?1 AND status IN ('open', 'processing')").bind(taskId, status, now()).run();
}

export async function appendEvents(db: D1Database, taskId: string, events: { type: TaskEvent["type"]; body: Record<string, unknown> }[]): Promise<void> {
  if (!events.length) return;
  const at = now();
  await db.batch(events.map((e) => db.prepare("INSERT INTO scaffolder_events (task_id, type, body, created_at) VALUES (?1, ?2, ?3, ?4)").bind(taskId, e.type, JSON.stringify(e.body), at)));
}

export async function listEvents(db: D1Database, taskId: string, after = 0, limit = 500): Promise<TaskEvent[]> {
  const { results } = await db.prepare("SELECT * FROM scaffolder_events WHERE task_id = ?1 AND id > ?2 ORDER BY id LIMIT ?3").bind(taskId, after, limit).all<EventRow>();
  return results.map(toEvent);
}

/** One line of a step's log, at its place `seq` in that step's log (run/step-log.ts). */
export interface StepLine {
  seq: number;
  body: Record<string, unknown>;
}

/** The lines a step has written so far, in order. */
export async function listStepLines(db: D1Database, taskId: string, stepId: string): Promise<StepLine[]> {
  const { results } = await db
    .prepare("SELECT seq, body FROM scaffolder_events WHERE task_id = ?1 AND step_id = ?2 AND seq IS NOT NULL ORDER BY seq")
    .bind(taskId, stepId)
    .all<{ seq: number; body: string }>();
  return results.map((r) => ({ seq: r.seq, body: JSON.parse(r.body) }));
}

/**
 * Appends step lines as log events; a (task, step, seq) already stored is left as it is (a re-run writing it
 * again). A step that logs is alive, so this is the task's heartbeat too (recover.ts).
 */
export async function appendStepLines(db: D1Database, taskId: string, stepId: string, lines: readonly StepLine[]): Promise<void> {
  if (!lines.length) return;
  const at = now();
  await db.batch([
    db.prepare("UPDATE scaffolder_tasks SET last_heartbeat_at = ?2 WHERE id = ?1").bind(taskId, at),
    ...lines.map((l) =>
      db
        .prepare("INSERT OR IGNORE INTO scaffolder_events (task_id, type, body, created_at, step_id, seq) VALUES (?1, 'log', ?2, ?3, ?4, ?5)")
        .bind(taskId, JSON.stringify(l.body), at, stepId, l.seq),
    ),
  ]);
}

/** Finished tasks are kept this long (with their steps and log), then the reconciliation sweep removes them. */
export const TASK_RETENTION_DAYS = 365;

/**
 * Removes finished tasks created before `olderThan` (ISO time) with their steps and events, `tasks` at a time in
 * one transaction each, at most `statements` rounds. A task still open or processing is never removed.
 * Returns the tasks removed.
 */
export async function pruneFinishedTasks(db: D1Database, olderThan: string, { tasks = 50, statements = 10 } = {}): Promise<number> {
  const old = "SELECT id FROM scaffolder_tasks WHERE created_at < ?1 AND status IN ('completed', 'failed', 'cancelled') ORDER BY created_at LIMIT ?2";
  const round = async () => {
    const [, , gone] = await db.batch([
      db.prepare(`DELETE FROM scaffolder_events WHERE task_id IN (${old})`).bind(olderThan, tasks),
      db.prepare(`DELETE FROM scaffolder_steps WHERE task_id IN (${old})`).bind(olderThan, tasks),
      db.prepare(`DELETE FROM scaffolder_tasks WHERE id IN (${old})`).bind(olderThan, tasks),
    ]);
    return gone.meta.changes;
  };
  return deleteInChunks(round, tasks, statements);
}
