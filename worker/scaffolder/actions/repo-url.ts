/** RepoUrlPicker values (`github.com?owner=o&repo=r`) for the publish actions: only the configured GitHub host. */
import { ApiError } from "../../errors";
import { readGithubConfig } from "../../github/config";
import { assertRepoName } from "../../net/segments";

export function parseGithubRepoUrl(env: Env, action: string, repoUrl: string): { host: string; owner: string; repo: string } {
  const i = repoUrl.indexOf("?");
  const host = (i < 0 ? repoUrl : repoUrl.slice(0, i)).replace(/^https?:\/\//, "").replace(/\/+$/, "").toLowerCase();
  const params = new URLSearchParams(i < 0 ? "" : repoUrl.slice(i + 1));
  const owner = params.get("owner") ?? "";
  const repo = params.get("repo") ?? "";
  if (!owner || !repo) throw new ApiError("InputError", `${action}: repoUrl '${repoUrl}' needs an owner and a repo (host?owner=o&repo=r)`);
  const webHost = new URL(readGithubConfig(env).webUrl).host.toLowerCase();
  if (host !== webHost) throw new ApiError("InputError", `${action}: repoUrl host '${host}' is not the configured GitHub (${webHost})`);
  try {
    assertRepoName(owner, repo);
  } catch (err) {
    throw new ApiError("InputError", `${action}: '${owner}/${repo}' is not a valid repository name: ${(err as Error).message}`);
  }
  return { host, owner, repo };
}
