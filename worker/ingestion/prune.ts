/**
 * Removes the files of a repo that nothing reaches any more (catalog/walk.ts unreachableFiles): the catalog
 * files matching the patterns are the roots. A file that only a dropped Location target, or a deleted
 * Location file, pointed at goes with its entities, as Backstage's orphan cleanup would delete them; a file
 * below one that could not be read stays, since the unreadable file kept its Location entities.
 */
import { removeFile, type CommitInfo, type FileReport } from "../catalog/store/apply-file";
import { unreachableFiles } from "../catalog/walk";
import type { GithubConfig } from "../github/config";
import { pathOfKey, type RepoCoords } from "../github/keys";
import { matchesCatalogPattern } from "../github/patterns";

export async function pruneUnreachable(
  db: D1Database,
  cfg: GithubConfig,
  coords: RepoCoords,
  origin: string,
  info: (key: string) => CommitInfo,
): Promise<FileReport[]> {
  const isRoot = (key: string) => {
    const p = pathOfKey(cfg, coords, key);
    return key.startsWith("registered:") || (p?.form === "blob" && matchesCatalogPattern(p.path, cfg.patterns));
  };
  const reports: FileReport[] = [];
  for (const key of await unreachableFiles(db, origin, isRoot)) reports.push(await removeFile(db, key, origin, info(key)));
  return reports;
}
