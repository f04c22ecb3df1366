/** Edgestage worker: the HTTP app, the shared job queue consumer, the cron sweep. */
import { createApp } from "./app";
import { withPortalPages } from "./portal/pages";
import type { JobMessage } from "./jobs/types";
import { handleJobs } from "./jobs/consumer";
import { runScheduled } from "./ingestion/scheduled";
import { recoverStaleTasks } from "./scaffolder/recover";

// Workflow classes are exported from the main module, where wrangler looks for them.
export { ScaffolderTaskWorkflow } from "./scaffolder/workflow";

const app = createApp();

export default {
  // Deep links into the portal arrive with their first API reads answered (portal/pages.ts).
  fetch: withPortalPages(app.fetch),
  async queue(batch: MessageBatch<JobMessage>, env: Env, ctx: ExecutionContext) {
    await handleJobs(batch, env, ctx);
  },
  async scheduled(controller: ScheduledController, env: Env, _ctx: ExecutionContext) {
    await runScheduled(controller, env);
    await recoverStaleTasks(env);
  },
} satisfies ExportedHandler<Env, JobMessage>;
