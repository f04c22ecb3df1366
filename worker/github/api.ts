/**
 * The GitHub REST calls ingestion makes, typed and trimmed to the fields it uses. Every function takes the
 * client first; a missing resource is null, never an exception. Paths are built only from checked segments
 * (worker/net/segments.ts): no value can add, remove or climb out of a path segment.
 */
import type { GithubClient } from "./client";
import { GithubApiError } from "./errors";
import { assertGitRef, assertRepoName, assertSafeSegment } from "../net/segments";

export interface GhRepo {
  id: number;
  owner: string;
  name: string;
  defaultBranch: string;
  archived: boolean;
  fork: boolean;
}

export interface GhCommit {
  sha: string;
  treeSha: string;
  /** Committer date, epoch ms. */
  time: number | null;
  author: string | null;
}

export interface TreeEntry {
  path: string;
  /** Git blob id. */
  sha: string;
  /** Bytes, as GitHub lists it. */
  size: number;
}

interface RepoJson {
  id: number;
  name: string;
  owner: { login: string };
  default_branch: string;
  archived?: boolean;
  fork?: boolean;
}

/** A branch name as path segments (branches may contain `/`). */
const enc = (branch: string) => assertGitRef(branch).split("/").map((s) => encodeURIComponent(assertSafeSegment(s, "branch segment"))).join("/");
/** One path segment from a value (a sha, an owner name). */
const seg = (s: string) => encodeURIComponent(assertSafeSegment(s));

export function repoPath(owner: string, name: string): string {
  assertRepoName(owner, name);
  return `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;
}

export function toGhRepo(r: RepoJson): GhRepo {
  return { id: r.id, owner: r.owner.login, name: r.name, defaultBranch: r.default_branch, archived: Boolean(r.archived), fork: Boolean(r.fork) };
}

/** By id, so a renamed or transferred repo is still found. */
export async function getRepoById(client: GithubClient, id: number): Promise<GhRepo | null> {
  const res = await client.json<RepoJson>(`/repositories/${id}`);
  return res.data ? toGhRepo(res.data) : null;
}

export async function getRepoByName(client: GithubClient, owner: string, name: string): Promise<GhRepo | null> {
  const res = await client.json<RepoJson>(repoPath(owner, name));
  return res.data ? toGhRepo(res.data) : null;
}

export async function getBranchHead(client: GithubClient, owner: string, name: string, branch: string): Promise<string | null> {
  const res = await client.json<{ object: { sha: string } }>(`${repoPath(owner, name)}/git/ref/heads/${enc(branch)}`);
  return res.data?.object.sha ?? null;
}

export async function getCommit(client: GithubClient, owner: string, name: string, sha: string): Promise<GhCommit | null> {
  const res = await client.json<{ sha: string; tree: { sha: string }; committer?: { date?: string }; author?: { name?: string; date?: string } }>(
    `${repoPath(owner, name)}/git/commits/${seg(sha)}`,
  );
  if (!res.data) return null;
  const date = Date.parse(res.data.committer?.date ?? res.data.author?.date ?? "");
  return { sha: res.data.sha, treeSha: res.data.tree.sha, time: Number.isFinite(date) ? date : null, author: res.data.author?.name ?? null };
}

type TreeJson = { tree: { path: string; type: string; sha: string; size?: number }[]; truncated: boolean };
const entryOf = (e: TreeJson["tree"][number], prefix = ""): TreeEntry => ({ path: prefix + e.path, sha: e.sha, size: typeof e.size === "number" ? e.size : 0 });

/**
 * Every blob path at a commit. One recursive call normally; GitHub truncates recursive trees past 100,000
 * entries or 7 MB, and then the folders are listed one by one.
 */
export async function getTree(client: GithubClient, owner: string, name: string, sha: string): Promise<TreeEntry[] | null> {
  const base = `${repoPath(owner, name)}/git/trees/`;
  const res = await client.json<TreeJson>(`${base}${seg(sha)}?recursive=1`);
  if (!res.data) return null;
  if (!res.data.truncated) return res.data.tree.filter((e) => e.type === "blob").map((e) => entryOf(e));
  const out: TreeEntry[] = [];
  const folders: { sha: string; prefix: string }[] = [{ sha, prefix: "" }];
  while (folders.length) {
    const folder = folders.shift()!;
    const level = await client.json<TreeJson>(`${base}${seg(folder.sha)}`);
    if (!level.data) throw new GithubApiError(404, `Tree ${folder.sha} of ${owner}/${name} disappeared while listing it`);
    for (const e of level.data.tree) {
      if (e.type === "blob") out.push(entryOf(e, folder.prefix));
      else if (e.type === "tree") folders.push({ sha: e.sha, prefix: `${folder.prefix}${e.path}/` });
    }
  }
  return out;
}

/** The commit sha a branch, tag or sha names; null when there is none. */
export async function resolveCommitSha(client: GithubClient, owner: string, name: string, ref: string): Promise<string | null> {
  if (/^[0-9a-f]{40}$/.test(ref)) return ref;
  const res = await client.text(`${repoPath(owner, name)}/commits/${enc(ref)}`, { accept: "application/vnd.github.sha" });
  const sha = res.data?.trim() ?? null;
  return sha && /^[0-9a-f]{40}$/.test(sha) ? sha : null;
}

/** The newest commit at `ref` that touched `path`; null when there is none (or no such repo or ref). */
export async function getLastCommit(client: GithubClient, owner: string, name: string, ref: string, path: string): Promise<GhCommit | null> {
  const query = new URLSearchParams({ sha: assertGitRef(ref), path, per_page: "1" });
  const res = await client.json<{ sha: string; commit: { tree: { sha: string }; committer?: { date?: string }; author?: { name?: string; date?: string } } }[]>(
    `${repoPath(owner, name)}/commits?${query}`,
  );
  const c = Array.isArray(res.data) ? res.data[0] : undefined;
  if (!c || typeof c.sha !== "string") return null;
  const date = Date.parse(c.commit?.committer?.date ?? c.commit?.author?.date ?? "");
  return { sha: c.sha, treeSha: c.commit?.tree?.sha ?? "", time: Number.isFinite(date) ? date : null, author: c.commit?.author?.name ?? null };
}

export type CompareStatus = "ahead" | "behind" | "identical" | "diverged";

/** Where `head` stands relative to `base`; null when either commit is unknown (e.g. gone after a force push). */
export async function compareCommits(client: GithubClient, owner: string, name: string, base: string, head: string): Promise<CompareStatus | null> {
  const res = await client.json<{ status: CompareStatus }>(`${repoPath(owner, name)}/compare/${seg(`${base}...${head}`)}`);
  return res.data?.status ?? null;
}

/** A page of an owner's repos: the org's, else the user's. */
export async function listOwnerRepos(client: GithubClient, owner: string, page: number): Promise<{ repos: GhRepo[]; more: boolean } | null> {
  for (const kind of ["orgs", "users"]) {
    const res = await client.json<RepoJson[]>(`/${kind}/${seg(owner)}/repos?per_page=100&page=${page}`);
    if (res.data) return { repos: res.data.map(toGhRepo), more: /rel="next"/.test(res.headers.get("link") ?? "") };
  }
  return null;
}

/** A page of the repos an App installation can see (the client must carry that installation). */
export async function listInstallationRepos(client: GithubClient, page: number): Promise<{ repos: GhRepo[]; more: boolean }> {
  const res = await client.json<{ repositories: RepoJson[] }>(`/installation/repositories?per_page=100&page=${page}`);
  return { repos: (res.data?.repositories ?? []).map(toGhRepo), more: /rel="next"/.test(res.headers.get("link") ?? "") };
}

/** The App installation covering an org/user, or one repo. Needs a configured App. */
export async function findInstallation(client: GithubClient, owner: string, name?: string): Promise<number | null> {
  const path = name ? `${repoPath(owner, name)}/installation` : `/orgs/${seg(owner)}/installation`;
  const res = await client.json<{ id: number }>(path, { auth: "app" });
  if (res.data || name) return res.data?.id ?? null;
  const user = await client.json<{ id: number }>(`/users/${seg(owner)}/installation`, { auth: "app" });
  return user.data?.id ?? null;
}

export interface PullFile {
  path: string;
  status: string;
}

/** Files a pull request changes (GitHub lists at most 3,000). */
export async function listPullFiles(client: GithubClient, owner: string, name: string, number: number): Promise<PullFile[] | null> {
  const out: PullFile[] = [];
  for (let page = 1; page <= 30; page++) {
    const res = await client.json<{ filename: string; status: string }[]>(`${repoPath(owner, name)}/pulls/${number}/files?per_page=100&page=${page}`);
    if (!res.data) return page === 1 ? null : out;
    out.push(...res.data.map((f) => ({ path: f.filename, status: f.status })));
    if (!/rel="next"/.test(res.headers.get("link") ?? "")) break;
  }
  return out;
}

export interface CheckAnnotation {
  path: string;
  start_line: number;
  end_line: number;
  annotation_level: "failure" | "warning" | "notice";
  title?: string;
  message: string;
}

export async function createCheckRun(
  client: GithubClient,
  owner: string,
  name: string,
  body: { name: string; head_sha: string; conclusion: "success" | "failure" | "neutral"; output: { title: string; summary: string; annotations: CheckAnnotation[] } },
): Promise<void> {
  await client.json(`${repoPath(owner, name)}/check-runs`, { method: "POST", body: { ...body, status: "completed" } });
}

export async function createCommitStatus(
  client: GithubClient,
  owner: string,
  name: string,
  sha: string,
  body: { state: "success" | "failure" | "error"; context: string; description: string; target_url?: string },
): Promise<void> {
  await client.json(`${repoPath(owner, name)}/statuses/${seg(sha)}`, { method: "POST", body });
}
