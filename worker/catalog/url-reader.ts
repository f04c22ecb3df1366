/**
 * Reads `url` locations over HTTP. GitHub blob/tree URLs are read as raw files; a 404 means "no such file".
 * The GitHub ingestion path has its own authenticated reader; this one serves public URLs registered
 * through POST /locations.
 */
import type { FileReader } from "./types";

const MAX_BYTES = 4 * 1024 * 1024;

export function rawUrlOf(target: string): string {
  const m = /^https:\/\/github\.com\/([^/]+)\/([^/]+)\/(?:blob|tree)\/([^/]+)\/(.+)$/.exec(target);
  return m ? `https://raw.githubusercontent.com/${m[1]}/${m[2]}/${m[3]}/${m[4]}` : target;
}

export const readUrl: FileReader = async (location) => {
  if (location.type !== "url") throw new Error(`cannot read location type '${location.type}' here`);
  const url = new URL(rawUrlOf(location.target));
  if (url.protocol !== "https:" && url.protocol !== "http:") throw new Error(`unsupported URL scheme ${url.protocol}`);
  const res = await fetch(url, { headers: { accept: "text/plain, application/yaml, */*" } });
  if (res.status === 404) return undefined;
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${url.host}`);
  const text = await res.text();
  if (text.length > MAX_BYTES) throw new Error(`file is larger than ${MAX_BYTES / 1024 / 1024} MB`);
  return text;
};
