/**
 * The reconciliation sweep (Cron Trigger): GitHub does not retry failed deliveries and guarantees no order,
 * so every known repo's default-branch head is compared with the commit last indexed, and a sync job is
 * queued for each one that drifted. A lost webhook therefore heals within one sweep interval. Repos are
 * checked 50 per job; the job queues its own continuation. Its first page also applies the retention of
 * deliveries, parked webhooks and the append-only logs (worker/db/retention.ts).
 */
import { enqueue } from "../jobs/enqueue";
import { getBranchHead } from "../github/api";
import { RetryableError } from "../github/errors";
import type { GithubJob } from "./jobs";
import { clientForRepo } from "./context";
import { enqueueSyncs } from "./repository";
import { pruneDeliveries } from "./store/deliveries";
import { listActiveRepos, type RepoState } from "./store/repos";
import { pruneParkedWebhooks, PARKED_WEBHOOK_RETENTION_MS } from "../plugins/hooks/dispatch";
import { pruneLogs, pruneUnusedSearchKeys } from "../db/retention";
import { pruneFinishedTasks, TASK_RETENTION_DAYS } from "../scaffolder/store";

type SweepJob = Extract<GithubJob, { type: "github-sweep" }>;
const PAGE = 50;
const DELIVERY_RETENTION_MS = 30 * 24 * 3600_000;

async function drifted(env: Env, repo: RepoState): Promise<boolean> {
  try {
    const client = await clientForRepo(env, repo);
    return (await getBranchHead(client, repo.owner, repo.name, repo.defaultBranch)) !== repo.headSha;
  } catch (err) {
    // A rate limit stops the sweep (the queue retries it later); any other failure is left to the sync job.
    if (err instanceof RetryableError && !err.retryInline) throw err;
    return true;
  }
}

export async function handleSweep(env: Env, job: SweepJob): Promise<void> {
  if (!job.afterId) {
    await pruneDeliveries(env.DB, Date.now() - DELIVERY_RETENTION_MS);
    await pruneParkedWebhooks(env.BLOBS, Date.now() - PARKED_WEBHOOK_RETENTION_MS);
    const tasksBefore = new Date(Date.now() - TASK_RETENTION_DAYS * 86_400_000).toISOString();
    const pruned = Object.entries({
      ...(await pruneLogs(env.DB, Date.now())),
      search_keys: await pruneUnusedSearchKeys(env.DB),
      scaffolder_tasks: await pruneFinishedTasks(env.DB, tasksBefore),
    }).filter(([, n]) => n > 0);
    if (pruned.length) console.log(`retention: removed ${pruned.map(([table, n]) => `${n} ${table}`).join(", ")} row(s)`);
  }
  const repos = await listActiveRepos(env.DB, job.afterId ?? 0, PAGE);
  const stale: RepoState[] = [];
  for (let i = 0; i < repos.length; i += 6) {
    const batch = repos.slice(i, i + 6);
    const flags = await Promise.all(batch.map((r) => drifted(env, r)));
    stale.push(...batch.filter((_, j) => flags[j]));
  }
  await enqueueSyncs(
    env,
    stale.map((r) => ({ type: "github-sync", repo: { id: r.id, owner: r.owner, name: r.name, installationId: r.installationId }, reason: "sweep" })),
  );
  if (repos.length === PAGE) await enqueue(env, { type: "github-sweep", afterId: repos[repos.length - 1].id });
  if (stale.length) console.log(`github sweep: ${stale.length} of ${repos.length} repo(s) drifted; re-indexing`);
}
