/**
 * POST /ingest (Edgestage extension) — push descriptor files from disk or CI: the body carries a registered
 * root location, the files available under it, and the roots to read; Location entities pull in further
 * files from the same set. With `complete`, files read through this location before and not reached now
 * (nor listed in `keep`) are removed. Answers what happened to each file. Used by `npm run catalog:load`.
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../../env";
import { authorize } from "../../access";
import { ApiError } from "../../errors";
import { limitBody, validJson } from "../../http";
import { findLocationByKey, createLocation, locationKeyOf } from "../store/locations";
import { refreshTree } from "../refresh-tree";
import { BULK_FILES_PER_BATCH, FILES_PER_BATCH } from "../store/apply-file";
import { announceCatalogChange } from "../../plugins/hooks/dispatch";
import type { FileReader } from "../types";

const MAX_FILES = 5000;
/**
 * YAML a wave may hold. Processed, a file takes about ten times its YAML in heap (the bench's 12 KB files:
 * 86 MB peak with two 100-file requests in flight, 65 MB at 20-file waves), and the isolate has 128 MB.
 */
const WAVE_CHARS = 2 * 1024 * 1024;

/**
 * Files a wave: the body holds them all already, so waves up to BULK_FILES_PER_BATCH cost no extra reads,
 * but never more YAML than WAVE_CHARS on average, and never fewer files than a URL read takes.
 */
export function filesPerBatchOf(files: readonly { content: string }[]): number {
  const chars = files.reduce((n, f) => n + f.content.length, 0);
  const average = files.length ? chars / files.length : 0;
  return Math.max(FILES_PER_BATCH, Math.min(BULK_FILES_PER_BATCH, Math.floor(WAVE_CHARS / Math.max(average, 1))));
}
const INGEST_TYPES = ["file", "url"] as const;

const target = v.pipe(v.string(), v.minLength(1));
const ingestBody = v.object({
  location: v.object(
    {
      type: v.picklist(INGEST_TYPES, `Invalid location: type must be one of ${INGEST_TYPES.join(", ")}`),
      target: v.pipe(v.string("Invalid location: target must be a non-empty string"), v.minLength(1, "Invalid location: target must be a non-empty string")),
    },
    'Invalid location: expected {"type": "file" | "url", "target": string}',
  ),
  files: v.pipe(
    v.array(v.object({ target, content: v.string() })),
    v.maxLength(MAX_FILES, `Invalid body: 'files' must be an array of at most ${MAX_FILES} {target, content} objects`),
  ),
  roots: v.optional(v.array(v.string())),
  complete: v.optional(v.boolean()),
  keep: v.optional(v.array(v.string())),
});

export const ingestRoutes = new Hono<AppEnv>().post("/ingest", authorize("catalog.location.create"), limitBody(16 * 1024 * 1024), validJson(ingestBody), async (c) => {
  const body = c.req.valid("json");
  const root = body.location;
  const files = new Map(body.files.map((f) => [f.target, f.content]));
  const roots = body.roots ?? [...files.keys()];
  const missing = roots.find((r) => !files.has(r));
  if (missing !== undefined) throw new ApiError("InputError", `Invalid body: root '${missing}' does not appear in 'files'`);
  // A load split over several requests sends `complete` on the last one, listing every target of the load in
  // `keep`, so files sent by the earlier requests are not taken for deleted ones.
  const keep = body.keep ?? [];

  const location = (await findLocationByKey(c.env.DB, locationKeyOf(root))) ?? (await createLocation(c.env.DB, root));
  const read: FileReader = async (spec) => (spec.type === root.type ? files.get(spec.target) : undefined);
  const reports = await refreshTree(c.env.DB, {
    location,
    roots: roots.map((target) => ({ type: root.type, target })),
    read,
    complete: body.complete === true,
    keep: new Set(keep.map((target) => locationKeyOf({ type: root.type, target }))),
    filesPerBatch: filesPerBatchOf(body.files),
  });
  await announceCatalogChange(c.env.JOBS, reports);
  const summary = { added: 0, updated: 0, removed: 0, unchanged: 0, rejected: 0 };
  for (const r of reports) {
    summary.added += r.added.length;
    summary.updated += r.updated.length;
    summary.removed += r.removed.length;
    summary.unchanged += r.unchanged.length;
    summary.rejected += r.rejected.length;
  }
  return c.json({
    location,
    files: reports.map((r) => ({
      ...r,
      rejected: r.rejected.map(({ entityRef, docIndex, field, line, name, message }) => ({ entityRef, docIndex, field, line, name, message })),
    })),
    summary,
  });
});
