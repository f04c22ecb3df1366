/** Sends a job to the shared JOBS queue. */
import type { JobMessage } from "./types";

export async function enqueue(env: Env, message: JobMessage, delaySeconds?: number): Promise<void> {
  await env.JOBS.send(message, delaySeconds ? { delaySeconds } : undefined);
}
