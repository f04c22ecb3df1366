/**
 * The import graph's rules (scripts/lib/import-graph.mjs), checked over the source: plugins reach the core
 * only through its public APIs, the portal never imports worker code, contract/ stays pure, the catalog model
 * does no I/O, SQL lives in store modules, and queue batches go through worker/jobs/enqueue.ts. A new file that breaks one fails here, named. The same rules
 * run on tests/fixtures/architecture, where each has known violations, so a rule that stops firing fails too.
 */
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildGraph, catalogModelImports, contractImports, pluginImports, queueBatchesOutsideEnqueue, sqlOutsideStores, webWorkerImports } from "../../scripts/lib/import-graph.mjs";

const ROOT = join(import.meta.dirname, "../..");
const GRAPH = buildGraph(ROOT);

/**
 * worker/catalog/*.ts that are not the catalog model: each wires the model to stores, readers or HTTP, and
 * says so. Every other file there (diff, entity-ref, fields, parse-yaml, process-file, relations, ...) is
 * model: pure functions over entities, with no store, routes, Hono or drizzle behind any import.
 */
const ORCHESTRATION: Record<string, string> = {
  "worker/catalog/routes.ts": "the catalog's Hono sub-app",
  "worker/catalog/query.ts": "parses HTTP query parameters (valibot schemas) for the routes",
  "worker/catalog/read-cache.ts": "Hono middleware caching read responses against the catalog version",
  "worker/catalog/refresh-location.ts": "job handler: reads a registered location and applies it through the store",
  "worker/catalog/refresh-tree.ts": "walks a location tree and applies the files through the store",
  "worker/catalog/walk.ts": "reads files through a FileReader (I/O) for refresh-tree",
  "worker/catalog/url-reader.ts": "the FileReader for url locations (outbound fetches)",
  "worker/catalog/dry-run.ts": "validate-entity/dry-run: processes files against the stored catalog",
  "worker/catalog/entity-cache.ts": "per-isolate cache of entity JSON read from the store",
  "worker/catalog/catalog-db.ts": "picks the database a read runs on (shard set or read-cache session) per request",
};

/** SQL outside store modules, each with its reason; a new one needs a line here. */
const SQL_EXCEPTIONS: Record<string, string> = {
  "worker/catalog/read-cache.ts": "reads the catalog version row on every request, before any store is involved",
  "worker/jobs/dead-letters.ts": "the dead-letter list is its own small store (issue 5)",
};

describe("the import graph", () => {
  it("sees the code it checks", () => {
    expect(GRAPH.files.length).toBeGreaterThan(200);
    expect(GRAPH.edges.some((e) => e.from === "web/src/App.tsx" && e.to === "web/src/plugins.ts")).toBe(true);
  });

  it("plugin code imports only contract/, worker/plugins/api.ts, web/src/plugin-kit/, its own folder and packages", () => {
    expect(pluginImports(GRAPH)).toEqual([]);
  });

  it("the portal imports no worker code, and the worker no portal code", () => {
    expect(webWorkerImports(GRAPH)).toEqual([]);
  });

  it("contract/ imports only contract/ and runtime-neutral packages (Hono and Solid for types only)", () => {
    expect(contractImports(GRAPH)).toEqual([]);
  });

  it("the catalog model imports no store, routes, Hono or drizzle, directly or through another module", () => {
    expect(catalogModelImports(GRAPH, { orchestration: ORCHESTRATION })).toEqual([]);
    expect(GRAPH.files.filter((f) => f.startsWith("worker/catalog/") && !f.includes("/store/") && !f.includes("/routes/")).length).toBeGreaterThan(Object.keys(ORCHESTRATION).length + 10);
  });

  it("SQL is written only in store modules", () => {
    expect(sqlOutsideStores(GRAPH, SQL_EXCEPTIONS)).toEqual([]);
    for (const f of Object.keys(SQL_EXCEPTIONS)) expect(GRAPH.files, `exception ${f} no longer exists: drop it`).toContain(f);
  });

  it("queue batches are sent only by worker/jobs/enqueue.ts, which keeps them within the queue's limits", () => {
    expect(queueBatchesOutsideEnqueue(GRAPH)).toEqual([]);
    expect(GRAPH.files).toContain("worker/jobs/enqueue.ts");
  });
});

describe("each rule fires on the fixture tree", () => {
  const fixture = buildGraph(join(ROOT, "tests/fixtures/architecture"));

  it("plugin imports", () => {
    expect(pluginImports(fixture).sort()).toEqual([
      "plugins/bad/worker.ts imports ../../web/src/App",
      "plugins/bad/worker.ts imports ../../worker/db/schema",
      "plugins/bad/worker.ts imports ../../worker/plugins/internal",
      "plugins/bad/worker.ts imports ../good/helper",
      "plugins/bad/worker.ts imports cloudflare:workers",
    ]);
  });

  it("web ↔ worker imports", () => {
    expect(webWorkerImports(fixture).sort()).toEqual(["web/src/App.ts imports ../../worker/plugins/api", "worker/web-import.ts imports ../web/src/App"]);
  });

  it("contract imports", () => {
    expect(contractImports(fixture)).toEqual(["contract/bad.ts imports hono"]);
  });

  it("catalog model imports, also through another module; orchestration modules are exempt", () => {
    const bad = catalogModelImports(fixture, { orchestration: { "worker/catalog/refresh.ts": "applies files through the store" } });
    expect(bad.sort()).toEqual([
      "worker/catalog/model.ts: worker/catalog/parse.ts imports ./store/read",
      "worker/catalog/parse.ts: worker/catalog/parse.ts imports ./store/read",
      "worker/catalog/validate.ts: worker/catalog/validate.ts imports hono",
    ]);
  });

  it("SQL outside stores, with the exception list honoured", () => {
    expect(sqlOutsideStores(fixture, { "worker/things/excepted.ts": "a test exception" }).sort()).toEqual([
      expect.stringMatching(/^worker\/things\/batcher\.ts runs SQL/),
      expect.stringMatching(/^worker\/things\/handler\.ts runs SQL/),
      "worker/things/orm.ts imports drizzle-orm",
    ]);
  });

  it("queue batches outside worker/jobs/enqueue.ts", () => {
    expect(queueBatchesOutsideEnqueue(fixture)).toEqual(["worker/things/allowed.ts calls sendBatch (use enqueueAll from worker/jobs/enqueue.ts)"]);
  });
});
