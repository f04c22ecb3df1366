/**
 * Removes the files of a repo that nothing reaches any more: the catalog files matching the patterns are
 * the roots, and every Location entity read from a reachable file makes its targets reachable. A file that
 * only a dropped Location target, or a deleted Location file, pointed at goes with its entities, as
 * Backstage's orphan cleanup would delete them.
 */
import { removeFile, type CommitInfo, type FileReport } from "../catalog/store/apply-file";
import { listFilesOfOrigin } from "../catalog/store/locations";
import { resolveLocationTarget } from "../catalog/location-url";
import type { GithubConfig } from "../github/config";
import { pathOfKey, type RepoCoords } from "../github/keys";
import { matchesCatalogPattern } from "../github/patterns";
import { listLocationEntitiesOfOrigin } from "./store/catalog-files";

export async function pruneUnreachable(
  db: D1Database,
  cfg: GithubConfig,
  coords: RepoCoords,
  origin: string,
  info: (key: string) => CommitInfo,
): Promise<FileReport[]> {
  const [files, locations] = await Promise.all([listFilesOfOrigin(db, origin), listLocationEntitiesOfOrigin(db, origin)]);
  const targetsOf = new Map<string, string[]>();
  for (const l of locations) {
    if (!l.spec) continue;
    const colon = l.locationKey.indexOf(":");
    const base = { type: l.locationKey.slice(0, colon), target: l.locationKey.slice(colon + 1) };
    const type = l.spec.type || base.type;
    const targets = [...(l.spec.target ? [l.spec.target] : []), ...(Array.isArray(l.spec.targets) ? l.spec.targets : [])];
    const keys = targets.filter((t) => typeof t === "string").map((t) => `${type}:${resolveLocationTarget(base, type, t)}`);
    targetsOf.set(l.locationKey, [...(targetsOf.get(l.locationKey) ?? []), ...keys]);
  }
  const reachable = new Set<string>();
  const queue: string[] = [];
  for (const f of files) {
    const p = pathOfKey(cfg, coords, f.locationKey);
    if (f.locationKey.startsWith("registered:") || (p?.form === "blob" && matchesCatalogPattern(p.path, cfg.patterns))) queue.push(f.locationKey);
  }
  while (queue.length) {
    const key = queue.shift()!;
    if (reachable.has(key)) continue;
    reachable.add(key);
    queue.push(...(targetsOf.get(key) ?? []));
  }
  const reports: FileReport[] = [];
  for (const f of files) if (!reachable.has(f.locationKey)) reports.push(await removeFile(db, f.locationKey, origin, info(f.locationKey)));
  return reports;
}
