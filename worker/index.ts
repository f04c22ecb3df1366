/** Edgestage worker: the HTTP app, the shared job queue consumer, the cron sweep. */
import { createApp } from "./app";
import type { JobMessage } from "./jobs/types";
import { handleJobs } from "./jobs/consumer";
import { runScheduled } from "./ingestion/scheduled";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<JobMessage>, env: Env, ctx: ExecutionContext) {
    await handleJobs(batch, env, ctx);
  },
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext) {
    await runScheduled(controller, env);
  },
} satisfies ExportedHandler<Env, JobMessage>;
