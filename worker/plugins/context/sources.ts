/**
 * A plugin's reads of repository files: GitHub blob and tree URLs of the deployment's configured GitHub host
 * only, read through the deployment's GitHub client (worker/github, and so the one outbound policy) with
 * its credentials, which the plugin never sees. URLs are parsed segment by segment (worker/net/segments.ts)
 * before any call; files and trees are bounded. Failures are ApiErrors: a missing file is a 404, a refused
 * URL a 400, an oversize file a 413, GitHub being unavailable a 503.
 */
import type { PluginSources } from "../../../contract/plugin-worker";
import { ApiError } from "../../errors";
import { findInstallation, getLastCommit, getTree, resolveCommitSha } from "../../github/api";
import { createGithubClient, type GithubClient } from "../../github/client";
import { readGithubConfig } from "../../github/config";
import { GithubApiError, RetryableError } from "../../github/errors";
import { readRepoBytes } from "../../github/reader";
import { OutboundRefusedError, PermanentReadError, TooLargeError } from "../../net/errors";
import { assertGitRef, assertRepoName, decodePathSegments } from "../../net/segments";

export const MAX_SOURCE_FILE_BYTES = 10 * 1024 * 1024;
export const MAX_TREE_ENTRIES = 10_000;
const MAX_URL_CHARS = 2048;

export interface SourceUrl {
  form: "blob" | "tree";
  owner: string;
  name: string;
  ref: string;
  /** Decoded repo path, `/`-separated; "" for a tree URL naming the repository's root. */
  path: string;
}

const refuse = (message: string): never => {
  throw new ApiError("InputError", message);
};

/** `<web>/<owner>/<repo>/<blob|tree>/<ref>[/<path>]` on the configured host, or an InputError naming why not. */
export function parseSourceUrl(webUrl: string, url: unknown, form: "blob" | "tree"): SourceUrl {
  if (typeof url !== "string" || url.length > MAX_URL_CHARS) return refuse(`Source URLs are strings of at most ${MAX_URL_CHARS} characters`);
  const shape = `${webUrl}/<owner>/<repo>/${form}/<ref>/<path>`;
  // URL parsing resolves dot segments (also `%2e%2e`): refuse them as written, so what is read is what was named.
  if (/\/(?:\.|%2e){1,2}(?:\/|$)/i.test(url.split(/[?#]/)[0])) return refuse(`'${url.slice(0, 200)}' has a '.' or '..' segment`);
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return refuse(`'${url.slice(0, 200)}' is not a URL; expected ${shape}`);
  }
  const web = new URL(webUrl);
  if (parsed.protocol !== web.protocol || parsed.host !== web.host || parsed.username || parsed.password) {
    return refuse(`Plugins read sources from ${web.origin} only, not ${parsed.origin}`);
  }
  if (parsed.search || parsed.hash) return refuse(`Source URLs carry no query or fragment; expected ${shape}`);
  const basePath = web.pathname.replace(/\/+$/, "");
  if (!parsed.pathname.startsWith(`${basePath}/`)) return refuse(`Expected ${shape}`);
  let rawPath = parsed.pathname.slice(basePath.length + 1);
  if (form === "tree") rawPath = rawPath.replace(/\/$/, "");
  try {
    const [owner, name, given, ref, ...path] = decodePathSegments(rawPath);
    if (!owner || !name || given !== form || !ref || (form === "blob" && !path.length)) return refuse(`'${url.slice(0, 200)}' is not a ${form} URL; expected ${shape}`);
    assertRepoName(owner, name);
    assertGitRef(ref);
    return { form, owner, name, ref, path: path.join("/") };
  } catch (err) {
    if (err instanceof OutboundRefusedError) return refuse(`'${url.slice(0, 200)}' is refused: ${err.message}`);
    throw err;
  }
}

function asApiError(err: unknown): unknown {
  if (err instanceof ApiError) return err;
  if (err instanceof TooLargeError) return new ApiError("PayloadTooLargeError", err.message);
  if (err instanceof OutboundRefusedError) return new ApiError("InputError", err.message);
  if (err instanceof PermanentReadError) return new ApiError("InputError", err.message);
  if (err instanceof RetryableError) return new ApiError("ServiceUnavailableError", err.message);
  if (err instanceof GithubApiError) return err.status === 404 ? new ApiError("NotFoundError", err.message) : new ApiError("ServiceUnavailableError", err.message);
  return err;
}

export function createPluginSources(env: Env, pluginId: string): PluginSources {
  const config = readGithubConfig(env);
  const base = createGithubClient(config);
  const clients = new Map<string, Promise<GithubClient>>();
  /** With a GitHub App, the installation that covers the repository; else the deployment's token. */
  const clientFor = (owner: string, name: string) => {
    if (!config.app) return Promise.resolve(base);
    const key = `${owner}/${name}`.toLowerCase();
    let client = clients.get(key);
    if (!client) clients.set(key, (client = findInstallation(base, owner, name).then((id) => base.withInstallation(id))));
    return client;
  };
  const guarded = async <T>(work: () => Promise<T>): Promise<T> => {
    try {
      return await work();
    } catch (err) {
      throw asApiError(err);
    }
  };
  const blobUrl = (s: SourceUrl, path: string) => `${config.webUrl}/${s.owner}/${s.name}/blob/${s.ref}/${path.split("/").map(encodeURIComponent).join("/")}`;

  return {
    readFile: (url) =>
      guarded(async () => {
        const s = parseSourceUrl(config.webUrl, url, "blob");
        const file = await readRepoBytes(await clientFor(s.owner, s.name), s.owner, s.name, s.path, s.ref, MAX_SOURCE_FILE_BYTES);
        if (!file) throw new ApiError("NotFoundError", `No file ${s.path} in ${s.owner}/${s.name} at ${s.ref} (plugin ${pluginId})`);
        return file.bytes;
      }),

    listTree: (url) =>
      guarded(async () => {
        const s = parseSourceUrl(config.webUrl, url, "tree");
        const client = await clientFor(s.owner, s.name);
        const sha = await resolveCommitSha(client, s.owner, s.name, s.ref);
        const tree = sha && (await getTree(client, s.owner, s.name, sha));
        if (!tree) throw new ApiError("NotFoundError", `No tree ${s.ref} in ${s.owner}/${s.name} (plugin ${pluginId})`);
        const dir = s.path ? `${s.path}/` : "";
        const out: { path: string; url: string; sha: string; size: number }[] = [];
        for (const e of tree) {
          if (!e.path.startsWith(dir)) continue;
          if (out.length >= MAX_TREE_ENTRIES) throw new ApiError("PayloadTooLargeError", `More than ${MAX_TREE_ENTRIES} files under ${url}: list a narrower folder`);
          out.push({ path: e.path.slice(dir.length), url: blobUrl(s, e.path), sha: e.sha, size: e.size });
        }
        return out;
      }),

    resolveCommit: (url) =>
      guarded(async () => {
        const s = parseSourceUrl(config.webUrl, url, typeof url === "string" && /^[^?#]*\/tree\//.test(url) ? "tree" : "blob");
        return resolveCommitSha(await clientFor(s.owner, s.name), s.owner, s.name, s.ref);
      }),

    lastCommit: (url) =>
      guarded(async () => {
        const s = parseSourceUrl(config.webUrl, url, typeof url === "string" && /^[^?#]*\/tree\//.test(url) ? "tree" : "blob");
        const commit = await getLastCommit(await clientFor(s.owner, s.name), s.owner, s.name, s.ref, s.path);
        return commit && { sha: commit.sha, author: commit.author, date: commit.time === null ? null : new Date(commit.time).toISOString() };
      }),
  };
}
