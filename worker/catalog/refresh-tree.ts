/**
 * Reads a registered location's tree of descriptor files (walk.ts) and applies it a wave at a time. With
 * `complete`, files read through this location before that nothing reaches any more are removed: reached
 * means a root, a file read now, or a target of a Location entity stored from a reached file, so a file
 * that could not be read keeps its entities and everything below it. The reader decides where bytes come
 * from: a request body, or a URL.
 */
import { unreachableFiles, walkTree, type WalkItem } from "./walk";
import type { FileReader, LocationSpec } from "./types";
import { applyFiles, FILES_PER_BATCH, removeFile, type FileReport } from "./store/apply-file";
import { locationKeyOf, type Location } from "./store/locations";

export interface TreeRefresh {
  location: Location;
  roots: LocationSpec[];
  read: FileReader;
  complete: boolean;
  /** With `complete`: location keys of files that another request of the same load covers; not removed. */
  keep?: ReadonlySet<string>;
  /** Files read and written a batch at a time (FILES_PER_BATCH; BULK_FILES_PER_BATCH when all are in memory). */
  filesPerBatch?: number;
}

const MAX_FILES = 5000;

export async function refreshTree(db: D1Database, r: TreeRefresh): Promise<FileReport[]> {
  const originKey = locationKeyOf(r.location);
  const roots: WalkItem[] = r.roots.map((spec) => ({ key: locationKeyOf(spec), spec, parentRef: r.location.entityRef, parentFile: null, presence: "required" }));
  const reached = new Set<string>([...roots.map((root) => root.key), ...(r.keep ?? [])]);
  const reports: FileReport[] = [];
  const filesPerBatch = r.filesPerBatch ?? FILES_PER_BATCH;
  await walkTree({ roots, origin: originKey, read: r.read, maxFiles: MAX_FILES, waveSize: filesPerBatch }, async (wave) => {
    for (const w of wave) reached.add(w.item.key);
    reports.push(...(await applyFiles(db, wave.map((w) => ({ file: w.file, originKey, parentRef: w.item.parentRef, contentHash: w.contentHash })), filesPerBatch)));
  });
  if (r.complete) {
    const gone = await unreachableFiles(db, originKey, (key) => reached.has(key) || key.startsWith("registered:"));
    for (const key of gone) reports.push(await removeFile(db, key, originKey));
  }
  return reports;
}
