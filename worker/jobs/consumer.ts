/**
 * The JOBS queue consumer: dispatches each message on its `type`. Delivery is at-least-once, so every
 * handler is idempotent. A failure is retried with exponential backoff (or the delay GitHub asked for);
 * after MAX_ATTEMPTS, or at once when retrying cannot help (a GitHub 4xx such as bad credentials), the
 * message becomes a dead letter that admins can inspect and replay (GET/POST /api/jobs/dead-letters).
 * A job waiting for a repo another job is indexing is retried without counting as a failure.
 */
import type { JobMessage } from "./types";
import type { WorkerPlugin } from "../../contract/plugin-worker";
import { addDeadLetter } from "./dead-letters";
import { PermanentJobError } from "./errors";
import { PLUGINS } from "../plugins";
import { fanOutCatalogChange, runPluginHook } from "../plugins/hooks/run";
import { refreshRegisteredLocation } from "../catalog/refresh-location";
import { GithubApiError, RepoBusyError, RetryableError } from "../github/errors";
import { PermanentReadError } from "../net/errors";
import { deliveryDone, githubHandlers, refreshGithubLocation, settleJobDelivery } from "../ingestion/handlers";

/** What a handler may need besides the message: the installed plugins (hooks) and the batch's waitUntil. */
interface JobDeps {
  plugins: readonly WorkerPlugin[];
  waitUntil: (promise: Promise<unknown>) => void;
}

type Handler<T extends JobMessage["type"]> = (message: Extract<JobMessage, { type: T }>, env: Env, deps: JobDeps) => Promise<string | void>;

/** Below the queue's max_retries (wrangler.toml), so the dead letter is written before the queue drops the message. */
export const MAX_ATTEMPTS = 5;

const handlers: { [T in JobMessage["type"]]: Handler<T> } = {
  "refresh-location": async (m, env) => {
    if (!(await refreshGithubLocation(env, m.locationKey))) await refreshRegisteredLocation(env, m.locationKey);
  },
  ...githubHandlers,
  "plugin-hook": (m, env, deps) => runPluginHook(m, env, deps.plugins, deps.waitUntil),
  "catalog-changed": (m, env, deps) => fanOutCatalogChange(m, env, deps.plugins),
};

const describe = (err: unknown): string => (err instanceof Error ? `${err.name}: ${err.message}` : String(err));

export async function handleJobs(batch: MessageBatch<JobMessage>, env: Env, ctx: ExecutionContext, plugins: readonly WorkerPlugin[] = PLUGINS): Promise<void> {
  const deps: JobDeps = { plugins, waitUntil: (p) => ctx.waitUntil(p) };
  for (const message of batch.messages) {
    const body = message.body;
    const handler = handlers[body.type] as Handler<typeof body.type> | undefined;
    if (!handler) {
      console.error(`unknown job type ${JSON.stringify(body.type)}; dropping message ${message.id}`);
      message.ack();
      continue;
    }
    const deliveryId = "deliveryId" in body ? body.deliveryId : undefined;
    try {
      if (await deliveryDone(env.DB, deliveryId)) {
        message.ack();
        continue;
      }
      const summary = await handler(body, env, deps);
      message.ack();
      await settleJobDelivery(env.DB, deliveryId, "done", summary || null, message.attempts);
    } catch (err) {
      if (err instanceof RepoBusyError) {
        message.retry({ delaySeconds: 1 });
        continue;
      }
      const error = describe(err);
      // The same request gets the same refusal (a policy rule, an oversize or non-UTF-8 file): retrying cannot help.
      const hopeless = (err instanceof GithubApiError && err.status < 500) || err instanceof PermanentReadError || err instanceof PermanentJobError;
      if (hopeless || message.attempts >= MAX_ATTEMPTS) {
        console.error(`job ${body.type} failed for good (attempt ${message.attempts}): ${error}`);
        await addDeadLetter(env.DB, { type: body.type, body, error, attempts: message.attempts, deliveryId: deliveryId ?? null });
        message.ack();
        await settleJobDelivery(env.DB, deliveryId, "dead", error, message.attempts);
        continue;
      }
      const backoff = Math.min(2 ** message.attempts, 300);
      const delaySeconds = Math.max(err instanceof RetryableError ? err.delaySeconds : 0, backoff);
      console.warn(`job ${body.type} failed (attempt ${message.attempts}), retrying in ${delaySeconds} s: ${error}`);
      message.retry({ delaySeconds });
      await settleJobDelivery(env.DB, deliveryId, "failed", error, message.attempts);
    }
  }
}
