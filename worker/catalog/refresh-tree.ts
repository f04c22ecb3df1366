/**
 * Reads a registered location's tree of descriptor files: each root file is processed and applied, then
 * the files its Location entities point at, breadth first, each file once. With `complete`, files that
 * were read through this location before and were not reached now are removed (they were deleted or
 * no longer listed). The reader decides where bytes come from: a request body, GitHub, or a URL.
 */
import { processFile } from "./process-file";
import { sha1Hex } from "./hash";
import type { FileReader, LocationSpec, ProcessingProblem } from "./types";
import { applyFile, removeFile, type CommitInfo, type FileReport } from "./store/apply-file";
import { listFilesOfOrigin, locationKeyOf, type Location } from "./store/locations";

export interface TreeRefresh {
  location: Location;
  roots: LocationSpec[];
  read: FileReader;
  complete: boolean;
  /** With `complete`: location keys of files that another request of the same load covers; not removed. */
  keep?: ReadonlySet<string>;
  commit?: (file: LocationSpec) => CommitInfo | null;
}

const MAX_FILES = 5000;

export async function refreshTree(db: D1Database, r: TreeRefresh): Promise<FileReport[]> {
  const originKey = locationKeyOf(r.location);
  const queue: { spec: LocationSpec; parentRef: string; presence: "required" | "optional" }[] = r.roots.map((spec) => ({
    spec,
    parentRef: r.location.entityRef,
    presence: "required",
  }));
  const visited = new Set<string>();
  const reports: FileReport[] = [];
  while (queue.length && visited.size < MAX_FILES) {
    const { spec, parentRef, presence } = queue.shift()!;
    const key = locationKeyOf(spec);
    if (visited.has(key)) continue;
    visited.add(key);
    const commit = r.commit?.(spec) ?? null;
    let content: string | undefined;
    try {
      content = await r.read(spec);
    } catch (err) {
      reports.push(await recordUnreadable(db, key, originKey, parentRef, commit, `Unable to read ${key}: ${(err as Error).message}`));
      continue;
    }
    if (content === undefined) {
      if (presence === "optional") continue;
      reports.push(await recordUnreadable(db, key, originKey, parentRef, commit, `Unable to read ${key}, no such file`));
      continue;
    }
    const file = await processFile({ location: spec, origin: originKey, content, read: r.read });
    reports.push(await applyFile(db, { file, originKey, parentRef, contentHash: await sha1Hex(content), commit }));
    for (const t of file.locationTargets) queue.push({ spec: t.location, parentRef: t.parentRef, presence: t.presence });
  }
  if (r.complete) {
    for (const f of await listFilesOfOrigin(db, originKey)) {
      if (visited.has(f.locationKey) || r.keep?.has(f.locationKey) || f.locationKey.startsWith("registered:")) continue;
      reports.push(await removeFile(db, f.locationKey, originKey));
    }
  }
  return reports;
}

/** An unreadable file keeps what it emitted before (Backstage does not orphan on read errors) and records why. */
function recordUnreadable(
  db: D1Database,
  locationKey: string,
  originKey: string,
  parentRef: string,
  commit: CommitInfo | null,
  message: string,
): Promise<FileReport> {
  const problem: ProcessingProblem = { location: locationKey, docIndex: null, entityRef: null, field: null, line: null, name: "NotFoundError", message };
  return applyFile(db, {
    file: { locationKey, entities: [], problems: [problem], complete: false, keepRefs: [], locationTargets: [] },
    originKey,
    parentRef,
    contentHash: null,
    commit,
  });
}
