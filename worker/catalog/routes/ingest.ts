/**
 * POST /ingest (Edgestage extension) — push descriptor files from disk or CI: the body carries a registered
 * root location, the files available under it, and the roots to read; Location entities pull in further
 * files from the same set. With `complete`, files read through this location before and not reached now
 * (nor listed in `keep`) are removed. Answers what happened to each file. Used by `npm run catalog:load`.
 */
import { Hono } from "hono";
import type { AppEnv } from "../../env";
import { authorize } from "../../access";
import { ApiError } from "../../errors";
import { limitBody, readJsonObject } from "../../http";
import { findLocationByKey, createLocation, locationKeyOf } from "../store/locations";
import { refreshTree } from "../refresh-tree";
import type { FileReader, LocationSpec } from "../types";

const MAX_FILES = 5000;
const INGEST_TYPES = ["file", "url"];

function parseSpec(value: unknown, where: string): LocationSpec {
  const v = value as Record<string, unknown>;
  if (typeof v !== "object" || v === null || typeof v.type !== "string" || typeof v.target !== "string" || !v.target) {
    throw new ApiError("InputError", `Invalid ${where}: expected {"type": "file" | "url", "target": string}`);
  }
  if (!INGEST_TYPES.includes(v.type)) throw new ApiError("InputError", `Invalid ${where}: type must be one of ${INGEST_TYPES.join(", ")}`);
  return { type: v.type, target: v.target };
}

export const ingestRoutes = new Hono<AppEnv>().post("/ingest", authorize("catalog.location.create"), limitBody(16 * 1024 * 1024), async (c) => {
  const body = await readJsonObject(c);
  const root = parseSpec(body.location, "location");
  if (!Array.isArray(body.files) || body.files.length > MAX_FILES) {
    throw new ApiError("InputError", `Invalid body: 'files' must be an array of at most ${MAX_FILES} {target, content} objects`);
  }
  const files = new Map<string, string>();
  body.files.forEach((f: unknown, i: number) => {
    const file = f as { target?: unknown; content?: unknown };
    if (typeof file !== "object" || file === null || typeof file.target !== "string" || !file.target || typeof file.content !== "string") {
      throw new ApiError("InputError", `Invalid body: files[${i}] must be {"target": string, "content": string}`);
    }
    files.set(file.target, file.content);
  });
  const roots = body.roots === undefined ? [...files.keys()] : body.roots;
  if (!Array.isArray(roots) || roots.some((r) => typeof r !== "string" || !files.has(r))) {
    throw new ApiError("InputError", "Invalid body: 'roots' must be an array of targets that appear in 'files'");
  }
  if (body.complete !== undefined && typeof body.complete !== "boolean") throw new ApiError("InputError", "Invalid body: 'complete' must be a boolean");
  // A load split over several requests sends `complete` on the last one, listing every target of the load in
  // `keep`, so files sent by the earlier requests are not taken for deleted ones.
  const keep = body.keep ?? [];
  if (!Array.isArray(keep) || keep.some((k) => typeof k !== "string")) throw new ApiError("InputError", "Invalid body: 'keep' must be an array of targets");

  const location = (await findLocationByKey(c.env.DB, locationKeyOf(root))) ?? (await createLocation(c.env.DB, root));
  const read: FileReader = async (spec) => (spec.type === root.type ? files.get(spec.target) : undefined);
  const reports = await refreshTree(c.env.DB, {
    location,
    roots: (roots as string[]).map((target) => ({ type: root.type, target })),
    read,
    complete: body.complete === true,
    keep: new Set((keep as string[]).map((target) => locationKeyOf({ type: root.type, target }))),
  });
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
