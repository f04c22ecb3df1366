/**
 * Backfill: an import lists an owner's repos (or takes one repo) and queues a sync job per repo, a page
 * at a time; each sync indexes its repo's default-branch head and reports progress to the import.
 * The sweep, refreshes and installation events queue the same sync job.
 */
import { enqueue } from "../jobs/enqueue";
import { findInstallation, getRepoById, getRepoByName, listInstallationRepos, listOwnerRepos } from "../github/api";
import type { GithubJob } from "./jobs";
import { clientForRepo, githubClient } from "./context";
import { enqueueSyncs } from "./repository";
import { ensureRepo, indexRepo, removeRepo, withRepoLease } from "./repo-index";
import { announceCatalogChange } from "../plugins/hooks/dispatch";
import { addImportFiles, addImportRepos, failImport, markImportRepoDone } from "./store/imports";
import { getRepoState } from "./store/repos";

type SyncJob = Extract<GithubJob, { type: "github-sync" }>;
type ImportJob = Extract<GithubJob, { type: "github-import" }>;

export async function handleSync(env: Env, job: SyncJob): Promise<void> {
  const db = env.DB;
  const client = await clientForRepo(env, job.repo);
  const gh = await getRepoById(client, job.repo.id);
  const state = await getRepoState(db, job.repo.id);
  if (!gh || gh.archived) {
    // Gone, archived, or out of reach: what was indexed from it goes.
    if (state?.status === "active") await withRepoLease(db, state.id, () => removeRepo(db, state, gh ? "archived" : "removed"));
    if (job.importId) await markImportRepoDone(db, job.importId);
    return;
  }
  const repo = (await ensureRepo(db, client, { ...gh, installationId: client.installationId ?? job.repo.installationId }, true))!;
  const outcome = await withRepoLease(db, repo.id, () => indexRepo(db, client, repo.id, { sha: job.sha ?? null, force: job.force && !job.continuation }));
  const result = outcome.status === "indexed" ? outcome.result : null;
  if (result) await announceCatalogChange(env.JOBS, result.reports);
  if (job.importId && result) {
    const entities = result.reports.reduce((n, r) => n + r.added.length + r.updated.length + r.unchanged.length, 0);
    const total = result.discovered + (job.continuation ? 0 : result.pending);
    await addImportFiles(db, job.importId, { total, done: result.read, entities, errors: result.problems.length });
  }
  if (outcome.status === "indexed" && !outcome.result.complete) {
    await enqueue(env, { type: "github-sync", repo: job.repo, sha: outcome.sha, importId: job.importId, continuation: true, reason: job.reason });
    return;
  }
  if (job.importId) await markImportRepoDone(db, job.importId);
  console.log(`github sync ${gh.owner}/${gh.name} (${job.reason}): ${outcome.status === "indexed" ? `${outcome.result.read} file(s) read` : outcome.reason}`);
}

export async function handleImport(env: Env, job: ImportJob): Promise<void> {
  let client = githubClient(env);
  let installationId = job.installationId ?? null;
  if (client.config.app && installationId === null) {
    installationId = await findInstallation(client, job.owner, job.name);
    if (installationId === null) {
      return failImport(env.DB, job.importId, `The GitHub App is not installed on ${job.name ? `${job.owner}/${job.name}` : job.owner}`);
    }
  }
  client = client.withInstallation(installationId);
  const sync = (r: { id: number; owner: string; name: string }): SyncJob => ({
    type: "github-sync",
    repo: { id: r.id, owner: r.owner, name: r.name, installationId },
    importId: job.importId,
    reason: "import",
  });
  if (job.name) {
    const gh = await getRepoByName(client, job.owner, job.name);
    if (!gh) return failImport(env.DB, job.importId, `No repository ${job.owner}/${job.name} on GitHub, or no access to it`);
    await enqueue(env, sync(gh));
    return addImportRepos(env.DB, job.importId, 1, true);
  }
  const page = job.page ?? 1;
  const listed = installationId !== null ? await listInstallationRepos(client, page) : await listOwnerRepos(client, job.owner, page);
  if (!listed) return failImport(env.DB, job.importId, `No organization or user named ${job.owner} on GitHub, or no access to it`);
  // Backstage's GitHub provider skips archived repos by default (filters.allowArchived: false).
  const repos = listed.repos.filter((r) => !r.archived && r.owner.toLowerCase() === job.owner.toLowerCase());
  await enqueueSyncs(env, repos.map(sync));
  if (listed.more) await enqueue(env, { ...job, installationId, page: page + 1 });
  await addImportRepos(env.DB, job.importId, repos.length, !listed.more);
}
