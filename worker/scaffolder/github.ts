/**
 * The GitHub side of templates: a client for an owner (the App installation that covers it, with an App),
 * reading a template's folder or file at a ref, and the writes publishing needs (repository, Git data API,
 * pull requests, settings). Every call goes through worker/github/client.ts and so the outbound policy;
 * paths are built from checked segments only.
 */
import { ApiError } from "../errors";
import { getBranchHead, getTree, findInstallation, repoPath } from "../github/api";
import { createGithubClient, type GithubClient } from "../github/client";
import { readGithubConfig } from "../github/config";
import { GithubApiError } from "../github/errors";
import { gitBlobSha } from "../github/reader";
import { mayReadOtherRepo, parseRepoUrl, sameRepo, type RepoFileUrl } from "../github/keys";
import { assertSafeSegment } from "../net/segments";

/**
 * The client a step calls GitHub with: the portal's integration (the App installation covering the owner, or
 * GITHUB_TOKEN), or, when the step's input has a `token` (Backstage's: e.g. `${{ secrets.USER_OAUTH_TOKEN }}`
 * from requestUserCredentials, passed by an API caller), that token instead, on the same API and outbound policy.
 */
export async function clientForOwner(env: Env, owner: string, name?: string, token?: string): Promise<GithubClient> {
  if (token) return createGithubClient({ ...readGithubConfig(env), app: null, token });
  const base = createGithubClient(readGithubConfig(env));
  if (!base.config.app) return base;
  const id = (name ? await findInstallation(base, owner, name) : null) ?? (await findInstallation(base, owner));
  if (!id) throw new ApiError("NotAllowedError", `The GitHub App is not installed on ${owner}`);
  return base.withInstallation(id);
}

/** A GitHub URL (blob/tree form) → its parts; InputError when it is not on the configured GitHub. */
export function parseGithubUrl(env: Env, url: string): RepoFileUrl & { webUrl: string } {
  const cfg = readGithubConfig(env);
  let parsed: RepoFileUrl | null = null;
  try {
    parsed = parseRepoUrl(cfg, url);
  } catch (err) {
    throw new ApiError("InputError", `${url} is not a readable GitHub URL: ${(err as Error).message}`);
  }
  if (!parsed) throw new ApiError("InputError", `${url} is not a GitHub URL on ${cfg.webUrl} (<owner>/<repo>/tree/<ref>/<path>)`);
  return { ...parsed, webUrl: cfg.webUrl };
}

/** Templates read their own repository; another needs GITHUB_READ_OTHER_REPOS, as catalog data does. */
export function checkReadable(env: Env, target: RepoFileUrl, templateBase: string | null): void {
  const cfg = readGithubConfig(env);
  let own: { owner: string; name: string } | null = null;
  if (templateBase) {
    // The template's folder URL (`<web>/<owner>/<repo>/tree/<ref>/<dir>/`): its first two segments name the repo.
    const url = new URL(templateBase);
    const [owner, name] = url.pathname.split("/").filter(Boolean).map(decodeURIComponent);
    if (`${url.origin}` === new URL(cfg.webUrl).origin && owner && name) own = { owner, name };
  }
  if (own && sameRepo(own, target)) return;
  if (mayReadOtherRepo(cfg, target.owner, target.name)) return;
  throw new ApiError("NotAllowedError", `Reading ${target.owner}/${target.name} from this template is not allowed: another repository must be listed in GITHUB_READ_OTHER_REPOS`);
}

const READ_CONCURRENCY = 6;

async function readBlob(client: GithubClient, owner: string, name: string, sha: string): Promise<Uint8Array> {
  const res = await client.bytes(`${repoPath(owner, name)}/git/blobs/${encodeURIComponent(assertSafeSegment(sha))}`, { accept: "application/vnd.github.raw" });
  if (!res.data) throw new ApiError("NotFoundError", `Blob ${sha} of ${owner}/${name} was not found`);
  if ((await gitBlobSha(res.data)) !== sha) throw new Error(`Blob ${sha} of ${owner}/${name} did not match its id: the answer was cut off`);
  return res.data;
}

async function commitOf(client: GithubClient, t: RepoFileUrl): Promise<string> {
  if (/^[0-9a-f]{40}$/.test(t.ref)) return t.ref;
  const head = await getBranchHead(client, t.owner, t.name, t.ref);
  if (!head) throw new ApiError("NotFoundError", `${t.owner}/${t.name} has no branch ${t.ref}`);
  return head;
}

/** Every file under a folder URL, by path relative to it. */
export async function readGithubFolder(env: Env, t: RepoFileUrl, token?: string): Promise<Map<string, Uint8Array>> {
  const client = await clientForOwner(env, t.owner, t.name, token);
  const sha = await commitOf(client, t);
  const tree = await getTree(client, t.owner, t.name, sha);
  if (!tree) throw new ApiError("NotFoundError", `${t.owner}/${t.name}@${t.ref} was not found`);
  const dir = t.path.replace(/\/+$/, "");
  const prefix = dir ? `${dir}/` : "";
  const entries = tree.filter((e) => e.path.startsWith(prefix));
  if (!entries.length) throw new ApiError("NotFoundError", `${t.owner}/${t.name}@${t.ref} has no folder ${dir || "/"} (or it is empty)`);
  const out = new Map<string, Uint8Array>();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(READ_CONCURRENCY, entries.length) }, async () => {
      while (next < entries.length) {
        const e = entries[next++];
        out.set(e.path.slice(prefix.length), await readBlob(client, t.owner, t.name, e.sha));
      }
    }),
  );
  return out;
}

/** One file at a file URL. */
export async function readGithubFile(env: Env, t: RepoFileUrl, token?: string): Promise<Uint8Array> {
  const client = await clientForOwner(env, t.owner, t.name, token);
  const sha = await commitOf(client, t);
  const tree = await getTree(client, t.owner, t.name, sha);
  const entry = tree?.find((e) => e.path === t.path);
  if (!entry) throw new ApiError("NotFoundError", `${t.owner}/${t.name}@${t.ref} has no file ${t.path}`);
  return readBlob(client, t.owner, t.name, entry.sha);
}

function b64(data: Uint8Array): string {
  let bin = "";
  for (let i = 0; i < data.length; i += 0x8000) bin += String.fromCharCode(...data.subarray(i, i + 0x8000));
  return btoa(bin);
}

/** POST/PUT/PATCH through the client; GitHub's 4xx becomes an ApiError that says what failed. */
export async function ghWrite<T>(client: GithubClient, method: string, path: string, body: unknown, what: string): Promise<T> {
  try {
    if (method === "PUT" || method === "DELETE") {
      // These may answer 204 No Content: read text, which an empty body is.
      const res = await client.text(path, { method, body, accept: "application/vnd.github+json" });
      if (res.status === 404) throw new ApiError("NotFoundError", `${what}: GitHub answered 404 on ${path}`);
      return (res.data ? JSON.parse(res.data) : null) as T;
    }
    const res = await client.json<T>(path, { method, body });
    if (res.status === 404 || res.data === null) throw new ApiError("NotFoundError", `${what}: GitHub answered 404 on ${path}`);
    return res.data;
  } catch (err) {
    if (err instanceof GithubApiError) {
      if (err.status === 422 || err.status === 409) throw new ApiError("ConflictError", `${what}: ${err.message}`);
      if (err.status === 401 || err.status === 403) throw new ApiError("NotAllowedError", `${what}: ${err.message}`);
      throw new ApiError("InputError", `${what}: ${err.message}`);
    }
    throw err;
  }
}

/**
 * Commits `files` as the whole tree (no base tree, so the commit holds exactly these files) or on top of
 * `baseTree`; returns the commit sha. Blobs go up six at a time.
 */
export async function commitFiles(
  client: GithubClient,
  owner: string,
  name: string,
  files: Map<string, Uint8Array>,
  opts: { message: string; parents: string[]; baseTree?: string; author?: { name: string; email: string } },
): Promise<string> {
  const base = repoPath(owner, name);
  const entries = [...files.entries()].sort(([a], [b]) => (a < b ? -1 : 1));
  const tree: { path: string; mode: string; type: "blob"; sha: string }[] = new Array(entries.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(READ_CONCURRENCY, entries.length) }, async () => {
      while (next < entries.length) {
        const i = next++;
        const [path, data] = entries[i];
        const blob = await ghWrite<{ sha: string }>(client, "POST", `${base}/git/blobs`, { content: b64(data), encoding: "base64" }, `Uploading ${path}`);
        tree[i] = { path, mode: "100644", type: "blob", sha: blob.sha };
      }
    }),
  );
  const t = await ghWrite<{ sha: string }>(client, "POST", `${base}/git/trees`, { tree, ...(opts.baseTree ? { base_tree: opts.baseTree } : {}) }, "Creating the tree");
  const c = await ghWrite<{ sha: string }>(
    client,
    "POST",
    `${base}/git/commits`,
    { message: opts.message, tree: t.sha, parents: opts.parents, ...(opts.author ? { author: opts.author } : {}) },
    "Creating the commit",
  );
  return c.sha;
}
