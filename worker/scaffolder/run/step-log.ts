/**
 * A step's log, written while the step runs: each line goes to D1 (scaffolder_events) as it is written, so
 * the event stream and the task page show a running step's lines live instead of all at once when it ends.
 * Writes are coalesced (one batch in flight; lines written meanwhile go in the next), and `flush()` waits for
 * all of them before the step reports its end.
 *
 * Durable across a restart: a step interrupted mid-way runs again (Workflow semantics: a step.do that had not
 * returned re-runs), and its lines are numbered per step. The re-run replays the earlier attempt's lines: as
 * long as it writes the same lines in the same order they are already stored and are not written again (the
 * unique (task, step, seq) index backs this up); from the first line that differs, lines are appended after
 * the earlier ones. So lines already written are neither lost nor repeated.
 */
import { appendStepLines, listStepLines, type StepLine } from "../store";

export interface StepLog {
  write(body: Record<string, unknown>): void;
  /** Waits until every line written so far is stored; throws if they could not be. */
  flush(): Promise<void>;
}

const same = (a: Record<string, unknown>, b: Record<string, unknown>) => JSON.stringify(a) === JSON.stringify(b);

export async function openStepLog(db: D1Database, taskId: string, stepId: string): Promise<StepLog> {
  const earlier = await listStepLines(db, taskId, stepId);
  let replayed = 0;
  let diverged = earlier.length === 0;
  let nextSeq = earlier.length ? earlier[earlier.length - 1].seq + 1 : 0;
  let pending: StepLine[] = [];
  let inFlight: Promise<void> | null = null;

  async function drain(): Promise<void> {
    while (pending.length) {
      const batch = pending;
      pending = [];
      try {
        await appendStepLines(db, taskId, stepId, batch);
      } catch (err) {
        pending = [...batch, ...pending];
        throw err;
      }
    }
  }

  function kick(): void {
    if (inFlight) return;
    inFlight = drain()
      .catch((err) => console.error(`scaffolder: task ${taskId} step ${stepId}: log lines not stored yet, retrying at the step's end: ${err instanceof Error ? err.message : err}`))
      .finally(() => {
        inFlight = null;
      });
  }

  return {
    write(body) {
      if (!diverged) {
        if (replayed < earlier.length && same(earlier[replayed].body, body)) {
          replayed++;
          return;
        }
        diverged = true;
      }
      pending.push({ seq: nextSeq++, body });
      kick();
    },
    async flush() {
      while (inFlight) await inFlight;
      await drain();
    },
  };
}
