/**
 * Reads a registered location's tree of descriptor files: each root file is processed and applied, then
 * the files its Location entities point at, breadth first, each file once. With `complete`, files that
 * were read through this location before and were not reached now are removed (they were deleted or
 * no longer listed). The reader decides where bytes come from: a request body, GitHub, or a URL.
 */
import { processFile } from "./process-file";
import { sha1Hex } from "./hash";
import type { FileReader, LocationSpec, ProcessedFile, ProcessingProblem } from "./types";
import { applyFiles, FILES_PER_BATCH, removeFile, type CommitInfo, type FileReport, type FileWrite } from "./store/apply-file";
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
  // Breadth first, a wave of files at a time: each wave is read and processed, then written in as few D1
  // batches as applyFiles needs; the Location targets it found form the next waves.
  while (queue.length && visited.size < MAX_FILES) {
    const wave: { write: FileWrite; targets: ProcessedFile["locationTargets"] }[] = [];
    while (queue.length && wave.length < FILES_PER_BATCH && visited.size < MAX_FILES) {
      const { spec, parentRef, presence } = queue.shift()!;
      const key = locationKeyOf(spec);
      if (visited.has(key)) continue;
      visited.add(key);
      const commit = r.commit?.(spec) ?? null;
      let content: string | undefined;
      try {
        content = await r.read(spec);
      } catch (err) {
        wave.push({ write: unreadable(key, originKey, parentRef, commit, `Unable to read ${key}: ${(err as Error).message}`), targets: [] });
        continue;
      }
      if (content === undefined) {
        if (presence === "optional") continue;
        wave.push({ write: unreadable(key, originKey, parentRef, commit, `Unable to read ${key}, no such file`), targets: [] });
        continue;
      }
      const file = await processFile({ location: spec, origin: originKey, content, read: r.read });
      wave.push({ write: { file, originKey, parentRef, contentHash: await sha1Hex(content), commit }, targets: file.locationTargets });
    }
    reports.push(...(await applyFiles(db, wave.map((w) => w.write))));
    for (const w of wave) for (const t of w.targets) queue.push({ spec: t.location, parentRef: t.parentRef, presence: t.presence });
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
function unreadable(locationKey: string, originKey: string, parentRef: string, commit: CommitInfo | null, message: string): FileWrite {
  const problem: ProcessingProblem = { location: locationKey, docIndex: null, entityRef: null, field: null, line: null, name: "NotFoundError", message };
  return {
    file: { locationKey, entities: [], problems: [problem], complete: false, keepRefs: [], locationTargets: [] },
    originKey,
    parentRef,
    contentHash: null,
    commit,
  };
}
