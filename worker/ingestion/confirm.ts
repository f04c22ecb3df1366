/**
 * Destructive events are claims to check, not orders: a signed delivery can be replayed or arrive late (and
 * the webhook secret can leak), so before a repo's entities go, GitHub is asked whether the repo is really
 * gone, archived, or out of the App installation's reach.
 */
import { getRepoById, listInstallationRepos } from "../github/api";
import { GithubApiError } from "../github/errors";
import { clientForRepo, githubClient } from "./context";
import type { RepoState } from "./store/repos";

export type Loss = "removed" | "archived";

/** What GitHub says happened to the repo: gone (or out of this worker's reach), archived, or nothing (null). */
export async function confirmRepoLoss(env: Env, repo: RepoState): Promise<Loss | null> {
  try {
    const gh = await getRepoById(await clientForRepo(env, repo), repo.id);
    if (!gh) return "removed";
    return gh.archived ? "archived" : null;
  } catch (err) {
    // The App installation that covered the repo no longer exists: the worker cannot read it any more.
    if (err instanceof GithubApiError && err.status === 404) return "removed";
    throw err;
  }
}

/**
 * Which of `repos` an installation really lost. With a GitHub App: all of them when GitHub no longer knows
 * the installation or it is suspended, else those missing from its repository list. Without one the worker
 * reads with its own credentials, which no installation event changes: a repo goes only when GitHub no
 * longer serves it, or it is archived.
 */
export async function confirmInstallationLoss(env: Env, installationId: number, repos: RepoState[]): Promise<{ repo: RepoState; loss: Loss }[]> {
  const base = githubClient(env);
  if (!base.config.app) {
    const losses = await Promise.all(repos.map(async (repo) => ({ repo, loss: await confirmRepoLoss(env, repo) })));
    return losses.filter((l): l is { repo: RepoState; loss: Loss } => l.loss !== null);
  }
  const installation = await base.json<{ id: number; suspended_at?: string | null }>(`/app/installations/${installationId}`, { auth: "app" });
  if (!installation.data || installation.data.suspended_at) return repos.map((repo) => ({ repo, loss: "removed" }));
  const client = base.withInstallation(installationId);
  const listed = new Set<number>();
  for (let page = 1; ; page++) {
    const res = await listInstallationRepos(client, page);
    for (const r of res.repos) listed.add(r.id);
    if (!res.more) break;
  }
  return repos.filter((repo) => !listed.has(repo.id)).map((repo) => ({ repo, loss: "removed" }));
}
