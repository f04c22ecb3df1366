/**
 * The storage section of `npm run bench` (`--only storage`): bytes per entity in D1, by table and index.
 * Loads the synthetic dataset into the built worker (workerd via Miniflare) through POST /api/catalog/ingest,
 * stops the worker, then counts the pages of every b-tree in the local D1's SQLite file (scripts/bench/
 * sqlite-pages.mjs; local D1 has no dbstat) and prints bytes per entity per table, index and table group.
 * D1 bills and caps a database by this file's size (10 GB), so bytes per entity sets how many entities fit.
 *
 * Standalone: `node scripts/bench/storage.mjs [--entities N]`, or `--db path/to/file.sqlite` to only measure a file.
 */
import { mkdtempSync, readdirSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { generateDataset } from "./dataset.mjs";
import { loadDataset } from "./catalog.mjs";
import { printTable, startWorker } from "./lib.mjs";
import { sqlitePages } from "./sqlite-pages.mjs";

const log = (s) => process.stderr.write(`· ${s}\n`);

/** Rows counted per entity, to explain the bytes (a table missing from the schema is skipped). */
const ROW_COUNTS = ["entities", "search", "relations", "relation_rows", "search_rows", "processing_errors", "entity_changes", "files", "facet_counts"];

/** The group a b-tree's bytes count towards: its table, with FTS5's shadow tables under their FTS table. */
function groupOf(tree) {
  const m = /^(.*_fts)_(data|idx|docsize|config|content)$/.exec(tree.table);
  return m ? m[1] : tree.table;
}

/** The catalog's D1 SQLite file under a Miniflare persist dir (the largest .sqlite besides metadata.sqlite). */
function findSqlite(dir) {
  const files = readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith(".sqlite") && !f.endsWith("metadata.sqlite"))
    .map((f) => join(dir, f));
  if (!files.length) throw new Error(`no D1 .sqlite file under ${dir}`);
  return files.sort((a, b) => statSync(b).size - statSync(a).size)[0];
}

/** Per-b-tree and per-group rows for `entities` entities in the database file at `path`. */
export function storageTables(path, entities, rowCounts = {}) {
  const { pageSize, pageCount, freePages, trees } = sqlitePages(path);
  const perEntity = (bytes) => Math.round(bytes / entities);
  const total = pageCount * pageSize;
  const groups = new Map();
  for (const t of trees) {
    const g = groupOf(t);
    const e = groups.get(g) ?? { group: g, bytes: 0, trees: 0 };
    e.bytes += t.bytes;
    e.trees++;
    groups.set(g, e);
  }
  const groupRows = [...groups.values()]
    .filter((g) => g.bytes > g.trees * pageSize)
    .sort((a, b) => b.bytes - a.bytes)
    .map((g) => ({
      group: g.group,
      "b-trees": g.trees,
      "rows/entity": rowCounts[g.group] === undefined ? "" : (rowCounts[g.group] / entities).toFixed(2),
      MB: Math.round((g.bytes / 1e6) * 10) / 10,
      "bytes/entity": perEntity(g.bytes),
      share: `${((100 * g.bytes) / total).toFixed(1)}%`,
    }));
  groupRows.push({ separator: true }, { group: "whole file (incl. small tables, free pages)", "b-trees": trees.length, "rows/entity": "", MB: Math.round((total / 1e6) * 10) / 10, "bytes/entity": perEntity(total), share: "100%" });
  const treeRows = trees
    .filter((t) => t.bytes > pageSize * 2)
    .sort((a, b) => groupOf(a).localeCompare(groupOf(b)) || (a.type === b.type ? b.bytes - a.bytes : a.type === "table" ? -1 : 1))
    .map((t) => ({ "table / index": t.type === "index" ? `  ${t.name}` : t.name, type: t.type, pages: t.pages, "bytes/entity": perEntity(t.bytes) }));
  return {
    json: { entities, pageSize, pageCount, freePages, totalBytes: total, bytesPerEntity: perEntity(total), groups: Object.fromEntries([...groups.values()].map((g) => [g.group, perEntity(g.bytes)])), trees: Object.fromEntries(trees.map((t) => [t.name, perEntity(t.bytes)])), rowCounts },
    groupRows,
    treeRows,
    pageSize,
    freePages,
  };
}

/**
 * Runs the section: a fresh D1, the dataset loaded, the file measured. Returns { sections, notes, json } for run.mjs.
 * @param {{ entities?: number }} [options]
 */
export async function benchStorage({ entities = 10_000 } = {}) {
  const persistDir = mkdtempSync(join(tmpdir(), "edgestage-bench-storage-"));
  try {
    const dataset = generateDataset({ entities });
    log(`storage: loading ${dataset.counts.total} entities into a fresh D1`);
    const worker = await startWorker({ persistDir, floor: false });
    const rowCounts = {};
    let stored;
    try {
      const load = await loadDataset(worker.url, dataset);
      if (load.summary.rejected) throw new Error(`${load.summary.rejected} files rejected while loading`);
      const db = await worker.mf.getD1Database("DB", "edgestage");
      const { results: tables } = await db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all();
      const names = new Set(tables.map((t) => t.name));
      for (const t of ROW_COUNTS.filter((t) => names.has(t))) rowCounts[t] = (await db.prepare(`SELECT count(*) AS n FROM ${t}`).first()).n;
      stored = rowCounts.entities;
    } finally {
      await worker.dispose();
    }
    const path = findSqlite(persistDir);
    const t = storageTables(path, stored, rowCounts);
    log(`storage: ${stored} entities, ${(t.json.totalBytes / 1e6).toFixed(1)} MB, ${t.json.bytesPerEntity} bytes/entity`);
    return {
      sections: [
        { title: `D1 bytes per entity by table group, N = ${stored.toLocaleString("en-US")} (pages × ${t.pageSize} B)`, rows: t.groupRows },
        { title: "By table and index", rows: t.treeRows },
      ],
      notes: [
        "Pages counted from the local D1 SQLite file (main file + committed WAL frames) after loading through POST /api/catalog/ingest; a b-tree's bytes are its pages × page size, so partly filled pages count whole, as they do in D1's size.",
        `Groups: a table with its indexes; entities_fts with its FTS5 shadow tables. Free pages: ${t.freePages}. D1's 10 GB cap ÷ bytes/entity ≈ ${Math.round(10e9 / t.json.bytesPerEntity / 1e4) / 100} M entities per database.`,
      ],
      json: t.json,
    };
  } finally {
    rmSync(persistDir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { entities: { type: "string" }, db: { type: "string" }, count: { type: "string" } } });
  const print = (r) => {
    for (const s of r.sections) (console.log(`\n## ${s.title}\n`), printTable(s.rows));
    for (const n of r.notes) console.log(`- ${n}`);
  };
  if (values.db) {
    const t = storageTables(values.db, Number(values.count ?? 10_001));
    print({ sections: [{ title: "By table group", rows: t.groupRows }, { title: "By table and index", rows: t.treeRows }], notes: [] });
  } else {
    print(await benchStorage({ entities: Number(values.entities ?? 10_000) }));
  }
  process.exit(0);
}
