/**
 * Reads files from GitHub at a pinned commit through the contents API. Every file is checked against the
 * git blob id GitHub sends with it, so a body cut short in transit is retried rather than indexed as
 * broken YAML. `createRepoReader` is the catalog's FileReader for `url` locations: files of the repo being
 * indexed are read at the commit being indexed, other GitHub repos at the ref in their URL, other hosts
 * through the public URL reader.
 */
import type { FileReader, LocationSpec } from "../catalog/types";
import { readUrl } from "../catalog/url-reader";
import type { GithubClient } from "./client";
import { RetryableError } from "./errors";
import { parseRepoUrl, pathOfKey, type RepoCoords } from "./keys";

export interface RepoFile {
  path: string;
  content: string;
  /** Git blob id: the content hash the catalog stores for GitHub files. */
  sha: string;
}

const MAX_BYTES = 4 * 1024 * 1024;
const enc = new TextEncoder();

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
  const bin = atob(b64.replace(/\s+/g, ""));
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Keeps a byte-order mark as a character (so the bytes check out) and refuses bytes that are not UTF-8. */
const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

const repoPath = (owner: string, name: string) => `/repos/${encodeURIComponent(owner)}/${encodeURIComponent(name)}`;

/** A file's text at `ref` (a commit sha or branch); undefined when there is no such file. */
export async function readRepoFile(client: GithubClient, owner: string, name: string, path: string, ref: string): Promise<RepoFile | undefined> {
  const url = `${repoPath(owner, name)}/contents/${path.split("/").map(encodeURIComponent).join("/")}?ref=${encodeURIComponent(ref)}`;
  const res = await client.json<{ type?: string; encoding?: string; content?: string; sha: string; size: number } | unknown[]>(url);
  const data = res.data;
  if (!data || Array.isArray(data) || data.type !== "file") return undefined;
  if (data.size > MAX_BYTES) throw new Error(`${path} is larger than ${MAX_BYTES / 1024 / 1024} MB`);
  let bytes: Uint8Array;
  if (data.encoding === "base64" && typeof data.content === "string") {
    bytes = decodeBase64(data.content);
  } else {
    // Files over 1 MB come without inline content; the blob endpoint serves them raw.
    const raw = await client.text(`${repoPath(owner, name)}/git/blobs/${data.sha}`, { accept: "application/vnd.github.raw" });
    if (raw.data === null) return undefined;
    bytes = enc.encode(raw.data);
  }
  if (bytes.length !== data.size || (await gitBlobSha(bytes)) !== data.sha) {
    throw new RetryableError(`Contents of ${owner}/${name}/${path}@${ref.slice(0, 12)} do not match blob ${data.sha}: the answer was cut off`, 5);
  }
  let content: string;
  try {
    content = utf8.decode(bytes);
  } catch {
    // Not a RetryableError: the same bytes come back on every attempt.
    throw new Error(`${path} is not UTF-8 text`);
  }
  return { path, content: content.replace(/^\uFEFF/, ""), sha: data.sha };
}

/**
 * A FileReader for entities read from `repo` at `sha` (Location targets and $text/$json/$yaml placeholders).
 * Results are memoized per reader, so a placeholder file used by ten entities is fetched once. Files of the
 * repo itself are recorded in `blobs` (path → blob id, null when missing), so callers know what was read.
 */
export function createRepoReader(client: GithubClient, repo: RepoCoords, sha: string, blobs = new Map<string, string | null>()): FileReader {
  const cache = new Map<string, Promise<string | undefined>>();
  return (location: LocationSpec) => {
    const key = `${location.type}:${location.target}`;
    let hit = cache.get(key);
    if (!hit) {
      hit = readLocation(client, repo, sha, location, blobs);
      cache.set(key, hit);
    }
    return hit;
  };
}

async function readLocation(client: GithubClient, repo: RepoCoords, sha: string, location: LocationSpec, blobs: Map<string, string | null>): Promise<string | undefined> {
  if (location.type !== "url") throw new Error(`cannot read location type '${location.type}' from GitHub`);
  const own = pathOfKey(client.config, repo, `url:${location.target}`);
  if (own) {
    const file = await readRepoFile(client, repo.owner, repo.name, own.path, sha);
    blobs.set(own.path, file?.sha ?? null);
    return file?.content;
  }
  const other = parseRepoUrl(client.config, location.target);
  if (other) return (await readRepoFile(client, other.owner, other.name, other.path, other.ref))?.content;
  return readUrl(location);
}
