/**
 * Job handlers for repository lifecycle events and GitHub App installations: a deleted or archived repo,
 * or one the App lost access to, has its entities removed once GitHub confirms it (confirm.ts); a renamed,
 * transferred or unarchived repo is re-keyed and indexed again; repos added to an installation are
 * backfilled one sync job each.
 */
import { enqueue, enqueueAll } from "../jobs/enqueue";
import { listInstallationRepos } from "../github/api";
import type { GithubJob } from "./jobs";
import { clientForRepo, githubClient } from "./context";
import { ensureRepo, indexRepo, removeRepo, withRepoLease } from "./repo-index";
import { announceCatalogChange } from "../plugins/hooks/dispatch";
import { confirmInstallationLoss, confirmRepoLoss } from "./confirm";
import { getRepoState, listReposOfInstallation } from "./store/repos";

type RepoJob = Extract<GithubJob, { type: "github-repo" }>;
type InstallationJob = Extract<GithubJob, { type: "github-installation" }>;

/** Logs a job's outcome and returns it as the delivery's detail. */
function say(summary: string): string {
  console.log(summary);
  return summary;
}

export async function handleRepositoryEvent(env: Env, job: RepoJob): Promise<string> {
  const name = `${job.repo.owner}/${job.repo.name}`;
  if (job.action === "deleted" || job.action === "archived") {
    const state = await getRepoState(env.DB, job.repo.id);
    if (!state || state.status !== "active") return say(`github repository ${name} ${job.action}: not indexed, nothing to remove`);
    const loss = await confirmRepoLoss(env, state);
    if (!loss) return say(`github repository ${name} ${job.action}: GitHub still serves it, not archived; nothing removed`);
    await withRepoLease(env.DB, state.id, () => removeRepo(env.DB, state, loss));
    return say(`github repository ${name} ${job.action}: ${loss === "archived" ? "archived on GitHub" : "gone from GitHub"}, its entities were removed`);
  }
  const client = await clientForRepo(env, job.repo);
  const repo = await ensureRepo(env.DB, client, { ...job.repo, installationId: client.installationId ?? job.repo.installationId });
  if (!repo) return say(`github repository ${name}: GitHub no longer serves it, or it is archived; not indexed`);
  const outcome = await withRepoLease(env.DB, repo.id, () => indexRepo(env.DB, client, repo.id, { sha: null }));
  if (outcome.status === "indexed") await announceCatalogChange(env.JOBS, outcome.result.reports);
  if (outcome.status === "indexed" && !outcome.result.complete) {
    await enqueue(env, { type: "github-sync", repo: job.repo, sha: outcome.sha, continuation: true, reason: "repository" });
  }
  return say(`github repository ${name}: re-indexed (${outcome.status === "indexed" ? `${outcome.result.read} file(s) read` : outcome.reason})`);
}

/** Sends one sync job per repo. */
export async function enqueueSyncs(env: Env, jobs: Extract<GithubJob, { type: "github-sync" }>[]): Promise<void> {
  await enqueueAll(env.JOBS, jobs);
}

export async function handleInstallation(env: Env, job: InstallationJob): Promise<string> {
  if (job.action === "removed") {
    const states = job.repos
      ? (await Promise.all(job.repos.map((r) => getRepoState(env.DB, r.id)))).filter((s) => s !== null)
      : await listReposOfInstallation(env.DB, job.installationId);
    // A repo another installation covers by now (moved between installations) is not this event's to remove.
    const covered = states.filter((s) => s.status === "active" && (s.installationId === null || s.installationId === job.installationId));
    const lost = await confirmInstallationLoss(env, job.installationId, covered);
    for (const { repo, loss } of lost) await withRepoLease(env.DB, repo.id, () => removeRepo(env.DB, repo, loss));
    const kept = covered.length - lost.length;
    return say(`github installation ${job.installationId}: removed ${lost.length} repo(s)${kept ? `; GitHub still serves ${kept} to this worker, kept` : ""}`);
  }
  let repos = job.repos?.map((r) => ({ id: r.id, owner: r.fullName.split("/")[0], name: r.fullName.split("/")[1] }));
  if (!repos) {
    // The payload listed too many repos to queue; ask GitHub for them.
    const client = githubClient(env).withInstallation(job.installationId);
    repos = [];
    for (let page = 1; ; page++) {
      const res = await listInstallationRepos(client, page);
      repos.push(...res.repos.map((r) => ({ id: r.id, owner: r.owner, name: r.name })));
      if (!res.more) break;
    }
  }
  await enqueueSyncs(
    env,
    repos.map((r) => ({ type: "github-sync", repo: { ...r, installationId: job.installationId }, reason: "installation" })),
  );
  return say(`github installation ${job.installationId}: backfilling ${repos.length} repo(s)`);
}
