/** applyFiles writes a group of files per D1 batch; when the database refuses a group, each file is tried alone. */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import fc from "fast-check";
import {
  applyFiles,
  BULK_FILES_PER_BATCH,
  FILES_PER_BATCH,
  groupsOfDistinctFiles,
  MAX_ENTITIES_PER_BATCH,
  type FileWrite,
} from "../../../../worker/catalog/store/apply-file";
import { refreshTree } from "../../../../worker/catalog/refresh-tree";
import { createLocation } from "../../../../worker/catalog/store/locations";
import { filesPerBatchOf } from "../../../../worker/catalog/routes/ingest";
import { processFile } from "../../../../worker/catalog/process-file";
import { component, uniq } from "../../helpers";

/** env.DB, counting the batches sent through it; `refuse(n)` true makes the n-th batch (1-based) fail. */
function countingDb(refuse: (n: number) => boolean = () => false): { db: D1Database; batches: () => number } {
  let batches = 0;
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "batch") {
        return (statements: D1PreparedStatement[]) =>
          refuse(++batches) ? Promise.reject(new Error("D1_ERROR: simulated refusal")) : target.batch(statements);
      }
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, batches: () => batches };
}

async function write(target: string, content: string): Promise<FileWrite> {
  const file = await processFile({ location: { type: "file", target }, origin: "file:/t", content });
  return { file, originKey: "file:/t", parentRef: null, contentHash: null };
}

describe("applyFiles", () => {
  it("retries file by file when a grouped batch fails, and reports every file in order", async () => {
    const names = [uniq("a"), uniq("b"), uniq("c")];
    const writes = await Promise.all(names.map((n) => write(`/t/${n}.yaml`, component(n))));
    let refused = 0;
    // The grouped write (the second batch: the first reads) fails once, as a too-large batch would.
    const { db, batches } = countingDb((n) => {
      if (n !== 2) return false;
      refused++;
      return true;
    });
    const reports = await applyFiles(db, writes);
    expect(refused).toBe(1);
    expect(batches()).toBe(2 + 2 * names.length);
    expect(reports.map((r) => r.added)).toEqual(names.map((n) => [`component:default/${n}`]));
    const { results } = await env.DB.prepare("SELECT name FROM entities WHERE name IN (?, ?, ?) ORDER BY name").bind(...names).all<{ name: string }>();
    expect(results.map((r) => r.name)).toEqual([...names].sort());
  });

  it("groups files in order, at most filesPerBatch a group, distinct keys in each, closing a group once it holds the entity cap", () => {
    const entity = { ref: "component:default/x" } as FileWrite["file"]["entities"][number];
    const writeOf = ([key, n]: [number, number]) => ({ file: { locationKey: `file:/k${key}`, entities: Array(n).fill(entity) } }) as unknown as FileWrite;
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(12), fc.oneof(fc.nat(3), fc.integer({ min: 0, max: 2 * MAX_ENTITIES_PER_BATCH }))), { maxLength: 60 }), fc.integer({ min: 1, max: 30 }), (spec, size) => {
        const writes = spec.map(writeOf);
        const groups = groupsOfDistinctFiles(writes, size);
        expect(groups.flat()).toEqual(writes);
        for (const [i, g] of groups.entries()) {
          expect(g.length).toBeGreaterThan(0);
          expect(g.length).toBeLessThanOrEqual(size);
          expect(new Set(g.map((w) => w.file.locationKey)).size).toBe(g.length);
          const before = g.slice(0, -1).reduce((n, w) => n + w.file.entities.length, 0);
          expect(before).toBeLessThan(MAX_ENTITIES_PER_BATCH);
          // A group closes only for a reason: the next write would break one of the rules.
          const next = groups[i + 1]?.[0];
          if (next) {
            const total = before + g[g.length - 1].file.entities.length;
            expect(g.length >= size || total >= MAX_ENTITIES_PER_BATCH || g.some((w) => w.file.locationKey === next.file.locationKey)).toBe(true);
          }
        }
      }),
    );
  });

  it("writes a bulk load's wave of files in one batch", async () => {
    const location = await createLocation(env.DB, { type: "file", target: `/${uniq("bulk")}` });
    const names = Array.from({ length: 60 }, () => uniq("n"));
    const files = new Map(names.map((n) => [`${location.target}/${n}.yaml`, component(n)]));
    const refresh = (db: D1Database, filesPerBatch?: number) =>
      refreshTree(db, { location, roots: [...files.keys()].map((target) => ({ type: "file", target })), read: async (s) => files.get(s.target), complete: false, filesPerBatch });
    const bulk = countingDb();
    const reports = await refresh(bulk.db, BULK_FILES_PER_BATCH);
    expect(reports.flatMap((r) => r.added)).toHaveLength(60);
    // One batch reads what the files may replace, one writes them all.
    expect(bulk.batches()).toBe(2);
    for (const n of names) files.set(`${location.target}/${n}.yaml`, component(n, { lifecycle: "deprecated" }));
    const small = countingDb();
    const again = await refresh(small.db);
    expect(again.flatMap((r) => r.updated)).toHaveLength(60);
    expect(small.batches()).toBe(2 * Math.ceil(60 / FILES_PER_BATCH));
  });

  it("sizes an ingest's waves by the YAML they hold", () => {
    const of = (count: number, chars: number) => Array.from({ length: count }, () => ({ content: "x".repeat(chars) }));
    expect(filesPerBatchOf(of(300, 2_000))).toBe(BULK_FILES_PER_BATCH);
    expect(filesPerBatchOf(of(300, 40_000))).toBe(52);
    expect(filesPerBatchOf(of(10, 1_000_000))).toBe(FILES_PER_BATCH);
    expect(filesPerBatchOf([])).toBe(BULK_FILES_PER_BATCH);
  });
});
