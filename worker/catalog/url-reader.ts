/**
 * The FileReader for `url` locations registered through POST /locations (and entities validated with
 * POST /validate-entity). GitHub file URLs, raw.githubusercontent.com included, are read through the
 * GitHub API with checked segments, never fetched as web pages; a repository other than the root
 * location's own needs GITHUB_READ_OTHER_REPOS. Every other URL goes through the outbound policy's catalog
 * rules (CATALOG_READ_ALLOW, no internal addresses). Each network read takes one unit of the budget; the
 * results are memoized per reader. `undefined` means a definitive 404; every other failure throws
 * (PermanentReadError subclasses for what retrying cannot fix, RetryableError for the rest).
 */
import type { FileReader, LocationSpec } from "./types";
import { findInstallation } from "../github/api";
import { createGithubClient, type GithubClient } from "../github/client";
import { readGithubConfig } from "../github/config";
import { parseRepoUrl, type RepoFileUrl } from "../github/keys";
import { isGithubFileHost, readGithubUrl } from "../github/reader";
import { createReadBudget, type ReadBudget } from "../net/budget";
import { OutboundRefusedError } from "../net/errors";
import type { OutboundPolicy } from "../net/policy";
import { fetchCatalogFile } from "../net/read-file";

export interface UrlReaderOptions {
  /** The client GitHub URLs are read with; without one they are refused. */
  github?: GithubClient;
  /** The location the reads start from: its GitHub repository is the one catalog data may read freely. */
  root?: LocationSpec;
}

export function createUrlReader(policy: OutboundPolicy, budget: ReadBudget, options: UrlReaderOptions = {}): FileReader {
  const { github, root } = options;
  let own: RepoFileUrl | null = null;
  try {
    own = github && root?.type === "url" ? parseRepoUrl(github.config, root.target) : null;
  } catch {
    // An unsafe root URL owns no repository: every GitHub read from it counts as another repo's.
  }
  const clients = new Map<string, Promise<GithubClient>>();
  const cache = new Map<string, Promise<string | undefined>>();

  async function read(location: LocationSpec): Promise<string | undefined> {
    if (location.type !== "url") throw new OutboundRefusedError(`Cannot read location type '${location.type}' over the network`, "location-type");
    if (github && isGithubFileHost(github, location.target)) {
      const file = parseRepoUrl(github.config, location.target);
      const client = file ? await clientFor(github, file, clients) : github;
      return readGithubUrl(client, location.target, own, budget);
    }
    return fetchCatalogFile(policy, location.target, budget);
  }

  return (location) => {
    const key = `${location.type}:${location.target}`;
    let hit = cache.get(key);
    if (!hit) cache.set(key, (hit = read(location)));
    return hit;
  };
}

/** With a GitHub App the repository's installation reads it; a token or anonymous client reads as itself. */
function clientFor(base: GithubClient, file: RepoFileUrl, clients: Map<string, Promise<GithubClient>>): Promise<GithubClient> {
  if (!base.config.app || base.installationId !== null) return Promise.resolve(base);
  const key = `${file.owner}/${file.name}`.toLowerCase();
  let hit = clients.get(key);
  if (!hit) clients.set(key, (hit = findInstallation(base, file.owner, file.name).then((id) => base.withInstallation(id))));
  return hit;
}

/** The URL reader of a deployment: its outbound policy, its GitHub credentials, one budget per reader. */
export function createCatalogUrlReader(env: Env, root: LocationSpec, budget: ReadBudget = createReadBudget()): FileReader {
  const config = readGithubConfig(env);
  return createUrlReader(config.outbound, budget, { github: createGithubClient(config), root });
}

/** A reader that reads nothing, for callers that may not make the worker fetch: every read names the rule. */
export function refusingReader(reason: string): FileReader {
  return async () => {
    throw new OutboundRefusedError(reason, "no-network-reads");
  };
}
