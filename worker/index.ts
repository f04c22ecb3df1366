/** Edgestage worker: the HTTP app, the shared job queue consumer. */
import { createApp } from "./app";
import type { JobMessage } from "./jobs/types";
import { handleJobs } from "./jobs/consumer";

const app = createApp();

export default {
  fetch: app.fetch,
  async queue(batch: MessageBatch<JobMessage>, env: Env, ctx: ExecutionContext) {
    await handleJobs(batch, env, ctx);
  },
} satisfies ExportedHandler<Env, JobMessage>;
