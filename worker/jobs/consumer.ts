/**
 * The JOBS queue consumer: dispatches each message on its `type`. A failing message is retried with
 * exponential backoff by the queue (max_retries in wrangler.toml); each handler must be idempotent,
 * since delivery is at-least-once.
 */
import type { JobMessage } from "./types";
import { refreshRegisteredLocation } from "../catalog/refresh-location";

type Handler<T extends JobMessage["type"]> = (message: Extract<JobMessage, { type: T }>, env: Env) => Promise<void>;

const handlers: { [T in JobMessage["type"]]: Handler<T> } = {
  "refresh-location": (m, env) => refreshRegisteredLocation(env.DB, m.locationKey),
};

export async function handleJobs(batch: MessageBatch<JobMessage>, env: Env, _ctx: ExecutionContext): Promise<void> {
  for (const message of batch.messages) {
    const body = message.body;
    const handler = handlers[body.type] as Handler<typeof body.type> | undefined;
    if (!handler) {
      console.error(`unknown job type ${JSON.stringify(body.type)}; dropping message ${message.id}`);
      message.ack();
      continue;
    }
    try {
      await handler(body, env);
      message.ack();
    } catch (err) {
      console.error(`job ${body.type} failed (attempt ${message.attempts})`, err);
      message.retry({ delaySeconds: Math.min(2 ** message.attempts, 300) });
    }
  }
}
