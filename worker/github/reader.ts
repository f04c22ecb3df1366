/**
 * Reads files from GitHub at a pinned commit through the contents API. Every file is checked against the
 * git blob id and size GitHub sends with it, over the raw bytes, so a body cut short in transit is retried
 * rather than indexed as broken YAML; the bytes are then decoded as strict UTF-8 with a leading BOM
 * dropped. Not UTF-8, or over 4 MB, is a permanent error on that file. `createRepoReader` is the catalog's
 * FileReader for `url` locations of an indexed repo: its own files at the commit being indexed, other
 * GitHub repos (only those GITHUB_READ_OTHER_REPOS allows) at the ref in their URL, other hosts through the
 * outbound policy's catalog rules.
 */
import type { FileReader, LocationSpec } from "../catalog/types";
import { createReadBudget, type ReadBudget } from "../net/budget";
import { OutboundRefusedError, TooLargeError } from "../net/errors";
import { fetchCatalogFile } from "../net/read-file";
import { assertGitRef, decodePathSegments, repoPathSegments } from "../net/segments";
import { decodeUtf8 } from "../net/text";
import { repoPath } from "./api";
import type { GithubClient } from "./client";
import { RetryableError } from "./errors";
import { mayReadOtherRepo, parseRepoUrl, pathOfKey, sameRepo, type RepoCoords } from "./keys";
import { MAX_YAML_BYTES } from "../catalog/parse-yaml";

export interface RepoFile {
  path: string;
  content: string;
  /** Git blob id: the content hash the catalog stores for GitHub files. */
  sha: string;
}

const enc = new TextEncoder();

/** The git blob id of a file's bytes (a string is hashed as its UTF-8 encoding). */
export async function gitBlobSha(content: string | Uint8Array): Promise<string> {
  const body = typeof content === "string" ? enc.encode(content) : content;
  const header = enc.encode(`blob ${body.length}\0`);
  const all = new Uint8Array(header.length + body.length);
  all.set(header, 0);
  all.set(body, header.length);
  const digest = await crypto.subtle.digest("SHA-1", all);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

function decodeBase64(b64: string): Uint8Array {
  return Uint8Array.from(atob(b64.replace(/\s+/g, "")), (c) => c.charCodeAt(0));
}

type ContentsJson = { type?: string; encoding?: string; content?: string; sha?: unknown; size?: unknown };

/**
 * A file's bytes and blob id at `ref` (a commit sha or branch); undefined when there is no such file. The API
 * path is built from checked segments only, whatever the caller validated before. Throws TooLargeError over
 * `maxBytes`, RetryableError when the bytes do not match the blob, OutboundRefusedError for names or paths
 * that are not plain segments.
 */
export async function readRepoBytes(client: GithubClient, owner: string, name: string, path: string, ref: string, maxBytes: number): Promise<{ bytes: Uint8Array; sha: string } | undefined> {
  const segments = repoPathSegments(path);
  const base = repoPath(owner, name);
  const url = `${base}/contents/${segments.map(encodeURIComponent).join("/")}?ref=${encodeURIComponent(assertGitRef(ref))}`;
  const res = await client.json<ContentsJson | unknown[]>(url);
  const data = res.data;
  if (!data || Array.isArray(data) || data.type !== "file") return undefined;
  const where = `${owner}/${name}/${path}@${ref.slice(0, 12)}`;
  if (typeof data.sha !== "string" || !/^[0-9a-f]{40}$/.test(data.sha) || typeof data.size !== "number") {
    throw new RetryableError(`GitHub's answer for ${where} carries no blob id or size`, 5);
  }
  if (data.size > maxBytes) throw new TooLargeError(`${path} is larger than ${Math.round((maxBytes / 1024 / 1024) * 10) / 10} MB (${data.size} bytes)`);
  let bytes: Uint8Array;
  if (data.encoding === "base64" && typeof data.content === "string") {
    bytes = decodeBase64(data.content);
  } else {
    // Files over 1 MB come without inline content; the blob endpoint serves them raw.
    const raw = await client.bytes(`${base}/git/blobs/${data.sha}`, { accept: "application/vnd.github.raw" });
    // The contents answer just named this blob: its absence is GitHub's inconsistency, not "no such file".
    if (raw.data === null) throw new RetryableError(`Blob ${data.sha} of ${where} was not found`, 5);
    bytes = raw.data;
  }
  if (bytes.length !== data.size || (await gitBlobSha(bytes)) !== data.sha) {
    throw new RetryableError(`Contents of ${where} do not match blob ${data.sha}: the answer was cut off`, 5);
  }
  return { bytes, sha: data.sha };
}

/**
 * A file's text at `ref`; undefined when there is no such file. Throws as readRepoBytes does (over 4 MB:
 * TooLargeError), and FileEncodingError for bytes that are not UTF-8.
 */
export async function readRepoFile(client: GithubClient, owner: string, name: string, path: string, ref: string): Promise<RepoFile | undefined> {
  const file = await readRepoBytes(client, owner, name, path, ref, MAX_YAML_BYTES);
  return file && { path, content: decodeUtf8(file.bytes, path), sha: file.sha };
}

/**
 * Reads a GitHub file URL through the API. `own` is the repository the reading entity belongs to; any
 * other repository needs GITHUB_READ_OTHER_REPOS. The decision is made on the owner/name the call uses.
 */
export async function readGithubUrl(client: GithubClient, target: string, own: Pick<RepoCoords, "owner" | "name"> | null, budget: ReadBudget): Promise<string | undefined> {
  const file = parseRepoUrl(client.config, target);
  if (!file) {
    throw new OutboundRefusedError(`${target} is not a GitHub file URL (${client.config.webUrl}/<owner>/<repo>/blob/<ref>/<path>)`, "not-a-github-file");
  }
  if (!(own && sameRepo(own, file)) && !mayReadOtherRepo(client.config, file.owner, file.name)) {
    const from = own ? `an entity of ${own.owner}/${own.name}` : "this location";
    throw new OutboundRefusedError(
      `Reading ${file.owner}/${file.name} from ${from} is not allowed: another repository must be listed in GITHUB_READ_OTHER_REPOS`,
      "github-other-repo",
    );
  }
  budget.take(target);
  return (await readRepoFile(client, file.owner, file.name, file.path, file.ref))?.content;
}

/** True for URLs the GitHub path must read (the configured web host, raw.githubusercontent.com on github.com). */
export function isGithubFileHost(client: GithubClient, target: string): boolean {
  try {
    const host = new URL(target).host.toLowerCase();
    const web = new URL(client.config.webUrl).host.toLowerCase();
    return host === web || (web === "github.com" && host === "raw.githubusercontent.com");
  } catch {
    return false;
  }
}

/**
 * A FileReader for entities read from `repo` at `sha` (Location targets and $text/$json/$yaml placeholders).
 * Results are memoized per reader, so a placeholder file used by ten entities is fetched once; each network
 * read takes one unit of `budget`. Files of the repo itself are recorded in `blobs` (path → blob id, null
 * when missing), so callers know what was read.
 */
export function createRepoReader(
  client: GithubClient,
  repo: RepoCoords,
  sha: string,
  blobs = new Map<string, string | null>(),
  budget: ReadBudget = createReadBudget(),
): FileReader {
  const cache = new Map<string, Promise<string | undefined>>();
  return (location: LocationSpec) => {
    const key = `${location.type}:${location.target}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = readLocation(client, repo, sha, location, blobs, budget);
      cache.set(key, hit);
    }
    return hit;
  };
}

async function readLocation(client: GithubClient, repo: RepoCoords, sha: string, location: LocationSpec, blobs: Map<string, string | null>, budget: ReadBudget): Promise<string | undefined> {
  if (location.type !== "url") throw new OutboundRefusedError(`Cannot read location type '${location.type}' from GitHub`, "location-type");
  const own = pathOfKey(client.config, repo, `url:${location.target}`);
  if (own) {
    // The key's path is as written in the URL: decoded and checked segment by segment before the call.
    const path = decodePathSegments(own.path.split(/[?#]/)[0]).join("/");
    budget.take(location.target);
    const file = await readRepoFile(client, repo.owner, repo.name, path, sha);
    blobs.set(own.path, file?.sha ?? null);
    return file?.content;
  }
  if (isGithubFileHost(client, location.target)) return readGithubUrl(client, location.target, repo, budget);
  return fetchCatalogFile(client.config.outbound, location.target, budget);
}
