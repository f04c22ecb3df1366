/** The Cron Trigger (wrangler.toml [triggers]): queues the reconciliation sweep, which does the work with the queue's retries. */
import { enqueue } from "../jobs/enqueue";

export async function runScheduled(_controller: ScheduledController, env: Env): Promise<void> {
  await enqueue(env, { type: "github-sweep" });
}
