/**
 * Job handler for a push to a default branch: indexes the pushed commit under the ordering rule
 * (repo-index.ts), queues the rest of a large index as a continuation, and reports the processing errors
 * it found on the pushed commit (checks.ts) whenever the push touched catalog files.
 */
import { enqueue } from "../jobs/enqueue";
import type { GithubJob, PushChanges } from "./jobs";
import type { SyncPlan } from "./sync";
import { clientForRepo } from "./context";
import { ensureRepo, indexRepo, withRepoLease } from "./repo-index";
import { announceCatalogChange } from "../plugins/hooks/dispatch";

type PushJob = Extract<GithubJob, { type: "github-push" }>;

export function listsOf(changes: PushChanges): Extract<SyncPlan, { mode: "lists" }> {
  return {
    mode: "lists",
    upsert: changes.upsert.map(([path, i]) => ({ path, commit: changes.commits[i] ? { sha: changes.commits[i].id, time: changes.commits[i].time } : undefined })),
    remove: changes.remove,
  };
}

export async function handlePush(env: Env, job: PushJob): Promise<string> {
  const client = await clientForRepo(env, job.repo);
  const name = `${job.repo.owner}/${job.repo.name}`;
  const skip = (reason: string) => {
    const summary = `skipped: ${reason}`;
    console.log(`github push ${name}@${job.after.slice(0, 12)}: ${summary}`);
    return summary;
  };
  const repo = await ensureRepo(env.DB, client, { ...job.repo, installationId: client.installationId ?? job.repo.installationId });
  if (!repo) return skip("GitHub no longer serves the repository, or it is archived");
  // The payload's branch was the default one when it was sent; a late delivery may predate a change.
  if (repo.defaultBranch !== job.repo.defaultBranch) return skip(`${job.repo.defaultBranch} is no longer the default branch (${repo.defaultBranch} is)`);
  const outcome = await withRepoLease(env.DB, repo.id, () =>
    indexRepo(env.DB, client, repo.id, {
      sha: job.after,
      before: job.before,
      forced: job.forced,
      time: job.time,
      actor: job.actor,
      lists: job.changes ? listsOf(job.changes) : null,
    }),
  );
  if (outcome.status === "skipped") return skip(outcome.reason);
  const { result } = outcome;
  await announceCatalogChange(env.JOBS, result.reports);
  const summary = `indexed ${outcome.sha.slice(0, 12)} (${outcome.plan}): ${result.read} file(s) read, ${result.problems.length} problem(s)${result.complete ? "" : ", continuing"}`;
  console.log(`github push ${name}: ${summary}`);
  if (!result.complete) {
    await enqueue(env, { type: "github-sync", repo: job.repo, sha: outcome.sha, continuation: true, reason: "push" });
  }
  if (result.planned > 0) {
    await enqueue(env, {
      type: "github-report",
      repo: { ...job.repo, installationId: client.installationId },
      sha: outcome.sha,
      problems: result.problems.slice(0, 50).map((p) => ({ ...p, message: p.message.slice(0, 500) })),
      total: result.problems.length,
      files: result.read,
    });
  }
  return summary;
}
