/**
 * A scaffolder task as the task page shows it, folded from the task (`GET /tasks/:id`) and its event
 * stream (`GET /tasks/:id/eventstream`, Backstage's events: `log` with `body.stepId`/`body.status`,
 * `completion` with `body.output` or `body.error`, `cancelled`), as Backstage's useTaskEventStream does.
 */

export type StepStatus = "open" | "processing" | "completed" | "failed" | "skipped" | "cancelled";
export type TaskStatus = "open" | "processing" | "completed" | "failed" | "cancelled" | "skipped";

export interface TaskOutputLink {
  title?: string;
  url?: string;
  entityRef?: string;
  icon?: string;
}

export interface TaskOutput {
  links?: TaskOutputLink[];
  text?: { title?: string; content?: string; icon?: string }[];
  [key: string]: unknown;
}

/** Backstage's SerializedTask, the parts the page reads. */
export interface ScaffolderTask {
  id: string;
  status: TaskStatus;
  createdAt: string;
  lastHeartbeatAt?: string;
  createdBy?: string | null;
  /** The rendered outputs once the task completed (Edgestage adds these to Backstage's SerializedTask). */
  output?: TaskOutput;
  error?: { name?: string; message?: string };
  spec: {
    steps?: { id: string; name?: string; action?: string }[];
    templateInfo?: { entityRef?: string; entity?: { metadata?: { name?: string; title?: string; description?: string } } };
    output?: unknown;
    parameters?: Record<string, unknown>;
    user?: { ref?: string };
  };
}

export interface TaskEvent {
  id: number | string;
  taskId?: string;
  type: "log" | "completion" | "cancelled" | "recovered" | (string & {});
  createdAt: string;
  body: { message?: string; stepId?: string; status?: StepStatus; output?: TaskOutput; error?: { name?: string; message?: string } };
}

export interface StepView {
  id: string;
  name: string;
  status: StepStatus;
  startedAt?: string;
  endedAt?: string;
  log: string[];
}

export interface TaskView {
  status: TaskStatus;
  steps: StepView[];
  /** Lines not tied to a step (task-level messages). */
  log: string[];
  output?: TaskOutput;
  error?: { name?: string; message?: string };
  completed: boolean;
  lastEventId?: number | string;
}

export function initialView(task: ScaffolderTask): TaskView {
  return {
    status: task.status,
    steps: (task.spec.steps ?? []).map((s) => ({ id: s.id, name: s.name || s.id, status: "open", log: [] })),
    log: [],
    completed: isFinished(task.status),
  };
}

export function isFinished(status: string): boolean {
  return status === "completed" || status === "failed" || status === "cancelled" || status === "skipped";
}

function isOutput(v: unknown): v is TaskOutput {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

const MAX_LINES_PER_STEP = 5_000;

/** Applies one event; returns a new view (the page keeps it in a signal). */
export function applyEvent(view: TaskView, event: TaskEvent): TaskView {
  const body = event.body ?? {};
  const next: TaskView = { ...view, steps: view.steps, log: view.log, lastEventId: event.id };
  if (event.type === "log") {
    if (body.stepId) {
      let found = false;
      next.steps = view.steps.map((s) => {
        if (s.id !== body.stepId) return s;
        found = true;
        const step: StepView = { ...s };
        if (body.status) {
          step.status = body.status;
          if (body.status === "processing" && !step.startedAt) step.startedAt = event.createdAt;
          if (body.status !== "processing" && body.status !== "open") step.endedAt = event.createdAt;
        }
        if (body.message) step.log = [...s.log, body.message].slice(-MAX_LINES_PER_STEP);
        return step;
      });
      if (!found) next.steps = [...view.steps, { id: body.stepId, name: body.stepId, status: body.status ?? "processing", startedAt: event.createdAt, log: body.message ? [body.message] : [] }];
      if (next.status === "open") next.status = "processing";
    } else if (body.message) {
      next.log = [...view.log, body.message].slice(-MAX_LINES_PER_STEP);
    }
    return next;
  }
  if (event.type === "completion") {
    next.completed = true;
    if (body.output) next.output = body.output;
    if (body.error) {
      next.error = body.error;
      next.status = "failed";
    } else if (next.status !== "failed" && next.status !== "cancelled") {
      next.status = /cancel/i.test(body.message ?? "") ? "cancelled" : /fail/i.test(body.message ?? "") ? "failed" : "completed";
    }
    if (body.message) next.log = [...view.log, body.message];
    // Steps still marked running when the task ended did not finish.
    next.steps = next.steps.map((s) => (s.status === "processing" ? { ...s, status: next.status === "cancelled" ? "cancelled" : "failed", endedAt: event.createdAt } : s));
    return next;
  }
  if (event.type === "cancelled") {
    next.status = "cancelled";
    if (body.message) next.log = [...view.log, body.message];
    return next;
  }
  return next;
}

/** A finished task loaded later: its final status, rendered output and error from the task itself. */
export function withTaskResult(view: TaskView, task: ScaffolderTask): TaskView {
  if (!isFinished(task.status)) return view;
  return {
    ...view,
    status: task.status,
    completed: true,
    ...(view.output === undefined && isOutput(task.output) ? { output: task.output } : {}),
    ...(view.error === undefined && task.error ? { error: task.error } : {}),
  };
}

/** "1.2 s", "350 ms", "2 min 5 s"; undefined while a step has not started. */
export function stepDuration(step: StepView, now: number): string | undefined {
  if (!step.startedAt) return undefined;
  const start = Date.parse(step.startedAt);
  const end = step.endedAt ? Date.parse(step.endedAt) : now;
  if (!Number.isFinite(start) || !Number.isFinite(end)) return undefined;
  return formatDuration(Math.max(0, end - start));
}

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  const m = Math.floor(ms / 60_000);
  return `${m} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** Parses one SSE `data:` payload; undefined for anything that is not an event object. */
export function parseEventData(data: string): TaskEvent | undefined {
  try {
    const v = JSON.parse(data) as unknown;
    if (typeof v !== "object" || v === null || Array.isArray(v)) return undefined;
    const e = v as Partial<TaskEvent>;
    if (typeof e.type !== "string") return undefined;
    return { id: e.id ?? "", type: e.type, createdAt: typeof e.createdAt === "string" ? e.createdAt : new Date().toISOString(), body: typeof e.body === "object" && e.body !== null ? e.body : {}, ...(e.taskId ? { taskId: e.taskId } : {}) };
  } catch {
    return undefined;
  }
}
