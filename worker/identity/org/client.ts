/** A GitHub client for one org: with a GitHub App, authenticated as the installation on that org. */
import { findInstallation } from "../../github/api";
import type { GithubClient } from "../../github/client";
import { githubClient } from "../../ingestion/context";

/** undefined: the App is not installed on the org, so nothing of it can be read. */
export async function clientForOrg(env: Env, login: string, installationId: number | null): Promise<GithubClient | undefined> {
  const base = githubClient(env);
  if (!base.config.app) return base;
  const id = installationId ?? (await findInstallation(base, login));
  return id === null ? undefined : base.withInstallation(id);
}
