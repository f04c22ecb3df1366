/**
 * Running plugin hooks through the real queue consumer with a chosen plugin list: a capturing JOBS queue
 * (the pool's real queue would deliver to the test worker, whose plugin list is the deployment's), and a
 * runner that hands messages to handleJobs and reports what was acked and what was retried.
 */
import { createExecutionContext, createMessageBatch, env, getQueueResult } from "cloudflare:test";
import { handleJobs } from "../../../worker/jobs/consumer";
import type { JobMessage } from "../../../worker/jobs/types";
import type { WorkerPlugin } from "../../../worker/plugins/api";

export interface CapturedQueue {
  queue: Queue;
  sent: { body: JobMessage; delaySeconds?: number }[];
  take(): JobMessage[];
}

export function captureQueue(): CapturedQueue {
  const sent: CapturedQueue["sent"] = [];
  const queue = {
    async send(body: JobMessage, options?: { delaySeconds?: number }) {
      sent.push({ body: structuredClone(body), delaySeconds: options?.delaySeconds });
    },
    async sendBatch(messages: Iterable<{ body: JobMessage; delaySeconds?: number }>) {
      for (const m of messages) sent.push({ body: structuredClone(m.body), delaySeconds: m.delaySeconds });
    },
  } as unknown as Queue;
  return { queue, sent, take: () => sent.splice(0).map((m) => m.body) };
}

export async function runMessages(bodies: JobMessage[], plugins: readonly WorkerPlugin[], extraEnv: Record<string, unknown> = {}, attempts = 1) {
  const batch = createMessageBatch<JobMessage>(
    "edgestage-jobs",
    bodies.map((body) => ({ id: crypto.randomUUID(), timestamp: new Date(), attempts, body })),
  );
  const ctx = createExecutionContext();
  await handleJobs(batch, { ...env, ...extraEnv } as Env, ctx, plugins);
  const result = await getQueueResult(batch, ctx);
  return { acked: result.explicitAcks.length, retried: result.retryMessages.length, result };
}

/** Runs what the captured queue holds, and what those runs enqueue, until it is empty (bounded). */
export async function drain(q: CapturedQueue, plugins: readonly WorkerPlugin[], extraEnv: Record<string, unknown> = {}) {
  let runs = 0;
  for (let round = 0; round < 10 && q.sent.length; round++) {
    const bodies = q.take();
    runs += bodies.length;
    await runMessages(bodies, plugins, { JOBS: q.queue, ...extraEnv });
  }
  return runs;
}
