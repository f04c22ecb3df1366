/**
 * Stale-task recovery: a task still "processing" with no heartbeat (a step starting or ending) for a while
 * has lost its run; its Workflow instance is restarted, and the run skips every step D1 records as done
 * (run/task.ts), so nothing completed runs twice. On Cloudflare the platform resumes instances itself and
 * this rarely fires; under `wrangler dev` a stopped process leaves instances "running" but idle, and this is
 * what finishes them. Checked from the cron and when someone looks at the task.
 */
import { withInstance } from "./instances";
import { appendEvents, listStaleTasks, touchTask } from "./store";

/** Longer than any single step should take without moving (debug:wait is capped at 30 s). */
export const STALE_MS = 60_000;

export async function recoverTask(env: Env, id: string): Promise<void> {
  // The heartbeat moves first, so two lookers do not both restart it.
  await touchTask(env.DB, id);
  await withInstance(env, id, (instance) => instance.restart());
  await appendEvents(env.DB, id, [{ type: "log", body: { message: `Task ${id} had stopped making progress; resuming it after its last completed step` } }]);
}

export async function recoverStaleTasks(env: Env, now = Date.now()): Promise<number> {
  const ids = await listStaleTasks(env.DB, new Date(now - STALE_MS).toISOString());
  for (const id of ids) {
    try {
      await recoverTask(env, id);
    } catch (err) {
      console.error(`scaffolder: could not resume task ${id}: ${err instanceof Error ? err.message : err}`);
    }
  }
  return ids.length;
}

/** A task being looked at: resume it when it is stale. */
export function isStale(task: { status: string; lastHeartbeatAt: string | null; createdAt: string }, now = Date.now()): boolean {
  return task.status === "processing" && Date.parse(task.lastHeartbeatAt ?? task.createdAt) < now - STALE_MS;
}
