/**
 * The location-tree walk every catalog path shares (POST /ingest, registered url locations, dry runs and
 * GitHub syncs): files are read breadth first through an injected FileReader, each once, processed, and
 * the files their Location entities point at are read next. The reader's contract decides what a failed
 * read means: `undefined` is a definitive "not there" (a 404 at a known commit, a file absent from the
 * tree); anything it throws is a fault. Neither removes anything: the file keeps what it emitted before,
 * and a processing error names the Location entity that points at it, that entity's file and the target.
 * What is removed is decided afterwards on the stored state (unreachableFiles), so a file that could not
 * be read still reaches every file it reached before.
 */
import { processFile } from "./process-file";
import { createReadBudget, FILE_READ_BUDGET } from "../net/budget";
import { sha1Hex } from "./hash";
import { resolveLocationTarget } from "./location-url";
import type { FileReader, LocationSpec, ProcessedFile, ProcessingProblem } from "./types";
import { listFilesOfOrigin, locationKeyOf } from "./store/locations";
import { listLocationEntitiesOfOrigin, type LocationEntityRow } from "./store/location-entities";

/** Workers allow six simultaneous outgoing connections. */
const READ_CONCURRENCY = 6;

export interface WalkItem {
  /** `type:target` of the file. */
  key: string;
  spec: LocationSpec;
  /** The Location entity pointing at this file; for a root, the registered location's generated entity. */
  parentRef: string;
  /** Location key of the file that Location entity was read from; null when it is not in a file (a root). */
  parentFile: string | null;
  presence: "required" | "optional";
}

export interface WalkedFile {
  item: WalkItem;
  file: ProcessedFile;
  /** Stored as files.content_hash; null when the file could not be read. */
  contentHash: string | null;
  /** "missing": the reader said the file is not there; "failed": the read threw. */
  outcome: "read" | "missing" | "failed";
  /** Locations the file's placeholders asked the reader for. */
  asked: LocationSpec[];
}

export interface Walk {
  roots: WalkItem[];
  /** `type:target` of the registered location the walk starts from. */
  origin: string;
  /** Reads the files of the tree and the files their placeholders embed. */
  read: FileReader;
  /** The content hash to store for a file that was read; sha-1 of its text by default. */
  hashOf?: (item: WalkItem, content: string) => string | null | Promise<string | null>;
  /** Whether a Location target found on the way needs reading (a GitHub tree run skips unchanged blobs). */
  follow?: (target: WalkItem) => boolean;
  /**
   * Read failures that end the walk instead of becoming a processing error. The GitHub path passes its
   * RetryableError: nothing has been written yet, and the queue retries the whole job.
   */
  isFatal?: (err: unknown) => boolean;
  maxFiles: number;
  /** Files handed to `onWave` at a time (the callers that write do so per wave). */
  waveSize?: number;
}

/** Walks the tree; `onWave` gets the files of each wave in breadth-first order. Returns how many targets were queued. */
export async function walkTree(w: Walk, onWave: (files: WalkedFile[]) => Promise<void>): Promise<{ discovered: number }> {
  const waveSize = w.waveSize ?? 20;
  const seen = new Set<string>();
  const queue: WalkItem[] = [];
  for (const root of w.roots) {
    if (seen.has(root.key)) continue;
    seen.add(root.key);
    queue.push(root);
  }
  let started = 0;
  let discovered = 0;
  while (queue.length && started < w.maxFiles) {
    const wave = queue.splice(0, Math.min(waveSize, w.maxFiles - started));
    started += wave.length;
    const files = (await mapPool(wave, READ_CONCURRENCY, (item) => walkOne(w, item))).filter((f): f is WalkedFile => f !== null);
    for (const f of files) {
      for (const t of f.file.locationTargets) {
        const key = locationKeyOf(t.location);
        if (seen.has(key)) continue;
        seen.add(key);
        const target: WalkItem = { key, spec: t.location, parentRef: t.parentRef, parentFile: f.item.key, presence: t.presence };
        if (w.follow && !w.follow(target)) continue;
        queue.push(target);
        discovered += 1;
      }
    }
    await onWave(files);
  }
  return { discovered };
}

async function walkOne(w: Walk, item: WalkItem): Promise<WalkedFile | null> {
  let content: string | undefined;
  try {
    content = await w.read(item.spec);
  } catch (err) {
    if (w.isFatal?.(err)) throw err;
    return unreadable(item, "failed", reasonOf(err));
  }
  if (content === undefined) return item.presence === "optional" ? null : unreadable(item, "missing", "no such file");
  const asked: LocationSpec[] = [];
  let fatal: unknown = null;
  // Each file gets its own share of reads, on top of whatever bounds the reader keeps for the whole request.
  const budget = createReadBudget(FILE_READ_BUDGET);
  const read: FileReader = async (spec) => {
    asked.push(spec);
    try {
      budget.take(`${spec.type}:${spec.target}`);
      return await w.read(spec);
    } catch (err) {
      // processFile turns a failed placeholder read into a problem; a fatal one must still end the walk.
      if (fatal === null && w.isFatal?.(err)) fatal = err;
      throw err;
    }
  };
  const file = await processFile({ location: item.spec, origin: w.origin, content, read });
  if (fatal !== null) throw fatal;
  const contentHash = w.hashOf ? await w.hashOf(item, content) : await sha1Hex(content);
  return { item, file, contentHash, outcome: "read", asked };
}

function reasonOf(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  return err.name && err.name !== "Error" ? `${err.name}: ${err.message}` : err.message;
}

/**
 * A file that could not be read: no entities and not complete, so the store keeps what it emitted before
 * (Backstage does not orphan on read errors). The problem is recorded under the file and names the
 * Location entity pointing at it, so it shows on that entity's page too.
 */
function unreadable(item: WalkItem, outcome: "missing" | "failed", reason: string): WalkedFile {
  const pointer = item.parentFile ? `${item.parentRef} in ${item.parentFile}` : item.parentRef;
  const problem: ProcessingProblem = {
    location: item.key,
    docIndex: null,
    entityRef: item.parentRef,
    field: null,
    line: null,
    name: outcome === "missing" ? "NotFoundError" : "ReadError",
    message: `Unable to read ${item.key}, the target of ${pointer}: ${reason}`,
  };
  return {
    item,
    outcome,
    contentHash: null,
    asked: [],
    file: { locationKey: item.key, entities: [], problems: [problem], complete: false, keepRefs: [], locationTargets: [] },
  };
}

async function mapPool<T, R>(items: T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(limit, 1), items.length) }, worker));
  return out;
}

/** Location keys a stored Location entity points at, resolved against its file as processFile resolves them. */
function storedTargets(l: LocationEntityRow): string[] {
  if (!l.spec) return [];
  const colon = l.locationKey.indexOf(":");
  const base = { type: l.locationKey.slice(0, colon), target: l.locationKey.slice(colon + 1) };
  const type = l.spec.type || base.type;
  const targets = [...(l.spec.target ? [l.spec.target] : []), ...(Array.isArray(l.spec.targets) ? l.spec.targets : [])];
  return targets.filter((t): t is string => typeof t === "string").map((t) => locationKeyOf({ type, target: resolveLocationTarget(base, type, t) }));
}

/**
 * Files of an origin that nothing reaches any more: `isRoot` picks the roots, and every Location entity
 * stored from a reached file makes its targets reached. It runs on what is stored after a walk, where an
 * unreadable file kept its entities, so a fault never makes the files below it unreachable; only a
 * Location that was read and no longer lists a target (or a file that is gone) lets it go.
 */
export async function unreachableFiles(db: D1Database, originKey: string, isRoot: (locationKey: string) => boolean): Promise<string[]> {
  const [files, locations] = await Promise.all([listFilesOfOrigin(db, originKey), listLocationEntitiesOfOrigin(db, originKey)]);
  const targetsOf = new Map<string, string[]>();
  for (const l of locations) targetsOf.set(l.locationKey, [...(targetsOf.get(l.locationKey) ?? []), ...storedTargets(l)]);
  const reached = new Set<string>();
  const queue = files.map((f) => f.locationKey).filter(isRoot);
  while (queue.length) {
    const key = queue.shift()!;
    if (reached.has(key)) continue;
    reached.add(key);
    queue.push(...(targetsOf.get(key) ?? []));
  }
  return files.map((f) => f.locationKey).filter((key) => !reached.has(key));
}
