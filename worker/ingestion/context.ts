/** A GitHub client for one repo: with a GitHub App, authenticated as the installation that covers the repo. */
import { readGithubConfig } from "../github/config";
import { createGithubClient, type GithubClient } from "../github/client";
import { findInstallation } from "../github/api";
import { getRepoState } from "./store/repos";

export function githubClient(env: Env): GithubClient {
  return createGithubClient(readGithubConfig(env));
}

export async function clientForRepo(env: Env, repo: { id: number; owner: string; name: string; installationId?: number | null }): Promise<GithubClient> {
  const base = githubClient(env);
  if (!base.config.app) return base;
  let id = repo.installationId ?? (await getRepoState(env.DB, repo.id))?.installationId ?? null;
  // A repo webhook (not an App's) carries no installation; ask GitHub which one covers the repo.
  if (!id) id = await findInstallation(base, repo.owner, repo.name);
  return base.withInstallation(id);
}
