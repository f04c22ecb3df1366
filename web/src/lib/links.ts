/** Links derived from locations and annotations (GitHub-style URLs). */

/** `url:https://github.com/o/r/blob/main/x.yaml` → `https://github.com/o/r/blob/main/x.yaml`. */
export function locationUrl(location: string | null | undefined): string | undefined {
  if (!location) return undefined;
  const m = /^(?:url:)?(https?:\/\/.+)$/.exec(location.trim());
  return m ? m[1] : undefined;
}

/** Commit page for a GitHub(-like) location: `https://github.com/o/r/commit/<sha>`. */
export function commitUrl(location: string | null | undefined, sha: string | null | undefined, repo?: string): string | undefined {
  if (!sha) return undefined;
  if (repo) {
    const base = /^https?:\/\//.test(repo) ? repo.replace(/\/$/, "") : `https://github.com/${repo}`;
    return `${base}/commit/${sha}`;
  }
  const url = locationUrl(location);
  if (!url) return undefined;
  const m = /^(https?:\/\/[^/]+\/[^/]+\/[^/]+)\/(?:blob|tree|edit|raw)\//.exec(url);
  return m ? `${m[1]}/commit/${sha}` : undefined;
}

export function isSafeUrl(url: unknown): url is string {
  return typeof url === "string" && /^(https?:|mailto:)/i.test(url.trim());
}
