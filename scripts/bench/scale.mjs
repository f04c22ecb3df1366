/**
 * The scale section of `npm run bench` (`--only scale [--scale N]`, N = 100,000 by default): issue 13's
 * "at 100,000 entities" figures as their own rows. Loads N synthetic entities (scripts/bench/dataset.mjs)
 * into the built worker through POST /api/catalog/ingest (the same route and request shape as the catalog
 * section: 100 files a request, 2 in flight), sampling the worker isolate's V8 heap over the inspector
 * throughout, checks the count, reports D1's size on disk, then restarts the worker on the same database and
 * times the first catalog page a new isolate answers (the API part of a cold catalog load). When the portal
 * is built (dist/index.html) and scripts/bench/web.mjs exports benchWeb, its cold-load rows (headless
 * Chromium) run against the same N-entity catalog too.
 */
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { generateDataset } from "./dataset.mjs";
import { loadDataset } from "./catalog.mjs";
import { ROOT, checkSession, dirBytes, formatHeap, get, isolateHeap, sessionCookie, startWorker, workerMemory } from "./lib.mjs";

const log = (s) => process.stderr.write(`· ${s}\n`);

export const TARGETS = { loadSeconds: 60, heapMB: 128, coldCatalogMs: 500 };

/** @param {{ entities?: number, web?: boolean }} [options] */
export async function benchScale({ entities = 100_000, web = true } = {}) {
  const persistDir = mkdtempSync(join(tmpdir(), "edgestage-bench-scale-"));
  const rows = [];
  const notes = [];
  let worker;
  try {
    const t0 = performance.now();
    const dataset = generateDataset({ entities });
    log(`scale: generated ${entities.toLocaleString("en-US")} entities in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dataset.files.length} files)`);
    worker = await startWorker({ persistDir, inspector: true, assets: web && existsSync(join(ROOT, "dist", "index.html")) });
    const cookie = await sessionCookie(dataset.member);
    await checkSession(worker.url, cookie, dataset.member.ref);
    const heapEmpty = await isolateHeap(worker.mf);
    let heapPeak = null;
    const samples = [];
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const h = await isolateHeap(worker.mf);
        if (h) {
          samples.push(h.usedMB);
          if (!heapPeak || h.usedMB > heapPeak.usedMB) heapPeak = h;
        }
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    log(`scale: loading through POST /api/catalog/ingest`);
    const load = await loadDataset(worker.url, dataset).finally(() => (sampling = false));
    await sampler;
    const seconds = load.wallMs / 1000;
    const counted = JSON.parse((await get(`${worker.url}/api/catalog/entities/by-query?limit=1`, { headers: { cookie } })).text).totalItems;
    const expected = dataset.entities.length + 1; // + the root location's Location entity
    if (counted !== expected || load.summary.rejected) throw new Error(`after loading, the catalog holds ${counted} entities, expected ${expected} (${load.summary.rejected} rejected)`);
    const heapLoaded = await isolateHeap(worker.mf);
    const memLoaded = workerMemory();
    log(`scale: loaded ${entities.toLocaleString("en-US")} entities in ${seconds.toFixed(1)} s; isolate heap peak ${formatHeap(heapPeak)}`);
    rows.push(
      { what: `ingest ${entities.toLocaleString("en-US")} entities (${load.requests} requests of ${load.perRequest} files, ${load.parallel} in flight)`, value: `${seconds.toFixed(1)} s (${Math.round(entities / seconds)} entities/s)`, target: `≤ ${TARGETS.loadSeconds} s`, verdict: seconds <= TARGETS.loadSeconds ? "ok" : "MISS" },
      { what: "worker isolate V8 heap, empty catalog", value: formatHeap(heapEmpty), target: "", verdict: "" },
      { what: `worker isolate V8 heap, largest of ${samples.length} samples while loading`, value: formatHeap(heapPeak), target: `< ${TARGETS.heapMB} MB`, verdict: heapPeak ? (heapPeak.usedMB < TARGETS.heapMB ? "ok" : "MISS") : "n/a" },
      { what: "worker isolate V8 heap after loading", value: formatHeap(heapLoaded), target: `< ${TARGETS.heapMB} MB`, verdict: heapLoaded ? (heapLoaded.usedMB < TARGETS.heapMB ? "ok" : "MISS") : "n/a" },
      { what: "workerd process RSS after loading (all isolates, D1's SQLite)", value: memLoaded ? `${memLoaded.rssMB} MB (peak ${memLoaded.peakMB} MB)` : "n/a", target: "", verdict: "info" },
    );
    await worker.dispose();
    worker = undefined;
    const dbBytes = dirBytes(persistDir);
    rows.push({ what: "D1 database on disk (SQLite + WAL)", value: `${(dbBytes / 2 ** 20).toFixed(1)} MB (${Math.round(dbBytes / entities)} bytes/entity)`, target: "", verdict: "info" });

    // A new isolate on the loaded database: the first page it answers (no cache of any kind warm).
    worker = await startWorker({ persistDir, migrate: false, inspector: true, assets: web && existsSync(join(ROOT, "dist", "index.html")) });
    const page = `${worker.url}/api/catalog/entities/by-query?filter=kind%3Dcomponent&limit=50&orderField=metadata.name%2Casc`;
    const c0 = performance.now();
    const first = await get(page, { headers: { cookie: await sessionCookie(dataset.member) } });
    const coldMs = performance.now() - c0;
    const items = JSON.parse(first.text).items.length;
    const w0 = performance.now();
    await get(page, { headers: { cookie: await sessionCookie(dataset.member) } });
    const warmMs = performance.now() - w0;
    rows.push({
      what: `first catalog page from a new isolate (by-query kind=component, ${items} rows by name, +totalItems)`,
      value: `${coldMs.toFixed(1)} ms (then ${warmMs.toFixed(1)} ms)`,
      target: `part of ≤ ${TARGETS.coldCatalogMs} ms`,
      verdict: coldMs <= TARGETS.coldCatalogMs ? "ok" : "MISS",
    });
    const heapCold = await isolateHeap(worker.mf);
    rows.push({ what: "worker isolate V8 heap after that first page", value: formatHeap(heapCold), target: `< ${TARGETS.heapMB} MB`, verdict: heapCold ? (heapCold.usedMB < TARGETS.heapMB ? "ok" : "MISS") : "n/a" });

    const sections = [{ title: `At ${entities.toLocaleString("en-US")} entities (issue 13: load ≤ 60 s, isolate < 128 MB, cold catalog ≤ 500 ms)`, rows, columns: ["what", "value", "target", "verdict"] }];
    let webResult = null;
    if (web && existsSync(join(ROOT, "dist", "index.html"))) {
      const mod = await import("./web.mjs").catch(() => null);
      if (typeof mod?.benchWeb === "function") {
        log(`scale: cold portal loads (headless Chromium) at ${entities.toLocaleString("en-US")} entities`);
        try {
          webResult = await mod.benchWeb(worker.url, { cookie: await sessionCookie(dataset.member) });
          if (Array.isArray(webResult?.rows)) sections.push({ title: `Web portal at ${entities.toLocaleString("en-US")} entities`, rows: webResult.rows, columns: webResult.columns });
          else if (Array.isArray(webResult?.sections)) for (const s of webResult.sections) sections.push({ ...s, title: `${s.title} at ${entities.toLocaleString("en-US")} entities` });
        } catch (err) {
          notes.push(`web cold load at ${entities.toLocaleString("en-US")} failed: ${err?.message ?? err}`);
        }
      }
    } else {
      notes.push("the portal is not built (dist/index.html): run `npx vite build` first for the cold browser load at this size");
    }
    notes.push(`Load client: plain node:http keep-alive, the admin token (as \`npm run catalog:load\`); reads as ${dataset.member.ref}. Heap: Runtime.getHeapUsage over workerd's inspector, every 0.5 s.`);
    return {
      sections,
      notes,
      json: { entities, loadSeconds: seconds, load, heapEmpty, heapPeak, heapLoaded, heapSamplesMB: samples, dbBytes, coldPageMs: coldMs, warmPageMs: warmMs, web: webResult?.json ?? null },
    };
  } finally {
    await worker?.dispose();
    rmSync(persistDir, { recursive: true, force: true });
  }
}
