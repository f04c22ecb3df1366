/**
 * The catalog section of `npm run bench`: loads the synthetic dataset into the built worker (in workerd via
 * Miniflare) through POST /api/catalog/ingest, checks the count, then measures the peer benchmark's query mix
 * at concurrency 1 and 16 next to the floor (a no-I/O endpoint and a one-row D1 read in the same workerd,
 * on the same database), and compares with Backstage's figures and the targets in performance-targets.md.
 * Reads go as a signed-in member (the dataset's first user, with their ownership claims in a session cookie),
 * so every catalog figure includes the session check; writes use the admin token, as catalog:load does.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { generateDataset, prng } from "./dataset.mjs";
import { ADMIN_TOKEN, checkSession, dirBytes, formatHeap, formatMemory, formatNumber, get, getJson, isolateHeap, measure, ms, post, sessionCookie, startWorker, workerMemory } from "./lib.mjs";

/** Backstage catalog backend 4.0.5, SQLite, N = 10,000 (performance-targets.md, median of 3 runs). */
export const BACKSTAGE = {
  "by-name": { c1p50: 1.8, c1rps: 399, c16rps: 1075, c16p99: 42 },
  paging: { c1p50: 9.4, c1rps: 83, c16rps: 187, c16p99: 592 },
  fullText: { c1p50: 17.5, c1rps: 55, c16rps: 83, c16p99: 337 },
  facetType: { c1p50: 30, c1rps: 33, c16rps: 31, c16p99: 1068 },
  facetTags: { c1p50: 57, c1rps: 17, c16rps: 19, c16p99: 1067 },
  facetOwner: { c1p50: 35, c1rps: 28, c16rps: 28, c16p99: 678 },
  facets3: { c1p50: 7.8, c1rps: 118, c16rps: 137, c16p99: 142 },
  byRefs: { c1p50: 12, c1rps: 76, c16rps: 145, c16p99: 165 },
  ingestionSeconds: 123,
  ingestionSeconds1k: 12.8,
  rssAfterIngestionMB: 589,
  rssPeakMB: 623,
  rssEmptyMB: 178,
};
export const TARGETS = { ingestionSeconds: 12, p99ms: 50, factor: 10, floorFactor: 1.5 };

const log = (s) => process.stderr.write(`· ${s}\n`);

/** Splits `items` into chunks of `size`. */
const chunks = (items, size) => Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** A connection dropped before any answer (the request was never handled), as opposed to an HTTP error. */
const isConnectionDrop = (err) => ["ECONNRESET", "EPIPE"].includes(err?.code) || /socket hang up/.test(err?.message ?? "");

/**
 * Loads the dataset through POST /api/catalog/ingest: `perRequest` files a request, `parallel` requests in
 * flight. The first request goes alone (it registers the root location the others reuse).
 *
 * Local workerd runs the worker and D1's SQLite on one event loop; while it is busy with one ingest, a request
 * waiting on another connection can have that connection closed under it (the server's keep-alive/header
 * timers fire before the loop gets to read it), which the client sees as ECONNRESET / socket hang up with no
 * answer. Such a request was never handled, and ingest is idempotent (unchanged entities are skipped), so it
 * is sent again; the number of resends is reported.
 * @returns {Promise<{ wallMs: number, requests: number, parallel: number, perRequest: number, resent: number, summary: Record<string, number>, rejected: any[] }>}
 */
export async function loadDataset(url, dataset, { perRequest = 100, parallel = 2, location = { type: "file", target: "/bench" } } = {}) {
  const batches = chunks(dataset.files, perRequest);
  const summary = { added: 0, updated: 0, removed: 0, unchanged: 0, rejected: 0 };
  const rejected = [];
  let resent = 0;
  const send = async (files) => {
    const body = JSON.stringify({ location, files, roots: files.map((f) => f.target), complete: false });
    for (let attempt = 1; ; attempt++) {
      let res;
      try {
        res = await post(`${url}/api/catalog/ingest`, body, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } });
      } catch (err) {
        if (!isConnectionDrop(err) || attempt >= 5) throw err;
        resent++;
        continue;
      }
      const json = JSON.parse(res.text);
      for (const [k, v] of Object.entries(json.summary)) summary[k] = (summary[k] ?? 0) + v;
      for (const f of json.files) for (const r of f.rejected) if (rejected.length < 20) rejected.push({ location: f.location, ...r });
      return;
    }
  };
  const start = performance.now();
  await send(batches[0]);
  let next = 1;
  await Promise.all(
    Array.from({ length: Math.min(parallel, batches.length - 1) }, async () => {
      while (next < batches.length) await send(batches[next++]);
    }),
  );
  return { wallMs: performance.now() - start, requests: batches.length, parallel, perRequest, resent, summary, rejected };
}

const qs = (params) => {
  const sp = new URLSearchParams();
  for (const [k, v] of params) sp.append(k, v);
  return sp.toString();
};

/**
 * Runs the catalog section. `persistDir` keeps the loaded D1 database for a later section (web).
 * @param {{ entities?: number, requests1?: number, requests16?: number, persistDir?: string, parallel?: number }} [options]
 */
export async function benchCatalog({ entities = 10_000, requests1 = 300, requests16 = 1000, persistDir, parallel = 2, uncached = true } = {}) {
  const t0 = performance.now();
  // The uncached pass restarts the worker on the same database, so the database must outlive the first worker.
  const ownDir = persistDir ? null : mkdtempSync(join(tmpdir(), "edgestage-bench-catalog-"));
  persistDir ??= ownDir;
  const dataset = generateDataset({ entities });
  const total = dataset.counts.total;
  log(`dataset: ${total.toLocaleString("en-US")} entities in ${dataset.counts.files} files (${(dataset.counts.bytes / 1e6).toFixed(1)} MB of YAML), ` +
    `${dataset.counts.components} components (${dataset.counts.services} services), ${dataset.counts.apis} APIs, ${dataset.counts.resources} resources, ` +
    `${dataset.counts.systems} systems, ${dataset.counts.domains} domains, ${dataset.counts.groups} groups, ${dataset.counts.users} users`);

  log("bundling the worker (wrangler deploy --dry-run) and starting it in workerd through Miniflare");
  const worker = await startWorker({ persistDir, inspector: true });
  const { url, floorURL } = worker;
  // Every request goes to `origin`: the first worker's, then, for the uncached pass, the restarted one's.
  let origin = url;
  const rebase = (abs) => (origin === url || !abs.startsWith(url) ? abs : origin + abs.slice(url.length));
  // The member's session cookie on every catalog read (minted again for the restarted worker, so it never
  // ages into the 10-minute refresh); the floor and /api/health go without one.
  const member = dataset.member;
  let reader = { cookie: await sessionCookie(member) };
  const getR = (abs, headers = reader) => get(rebase(abs), { headers });
  const postR = (abs, body) => post(rebase(abs), body, { headers: reader });
  const getJsonR = async (abs) => JSON.parse((await getR(abs)).text);
  try {
    await getJson(`${url}/api/health`);
    await checkSession(url, reader.cookie, member.ref);
    const memEmpty = workerMemory();
    const heapEmpty = await isolateHeap(worker.mf);
    log(`worker at ${url}; workerd ${formatMemory(memEmpty)}, worker isolate heap ${formatHeap(heapEmpty)} before loading`);

    // --- load
    log(`loading through POST /api/catalog/ingest (100 files a request, ${parallel} in flight)`);
    // Sample the isolate heap during the load (peak), twice a second.
    let heapLoadPeak = null;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        const h = await isolateHeap(worker.mf);
        if (h && (!heapLoadPeak || h.usedMB > heapLoadPeak.usedMB)) heapLoadPeak = h;
        await new Promise((r) => setTimeout(r, 500));
      }
    })();
    const load = await loadDataset(url, dataset, { parallel }).finally(() => (sampling = false));
    await sampler;
    const page1 = await getJsonR(`${url}/api/catalog/entities/by-query?limit=1`);
    const expected = total + 1; // + the generated Location entity of the root location
    if (page1.totalItems !== expected || load.summary.rejected) {
      const why = load.rejected.slice(0, 5).map((r) => `${r.location}: ${r.name}: ${r.message}`).join("\n  ");
      throw new Error(`after loading, the catalog holds ${page1.totalItems} entities, expected ${expected} (${load.summary.rejected} rejected)${why ? `:\n  ${why}` : ""}`);
    }
    const memLoaded = workerMemory();
    const dbBytes = dirBytes(worker.persistDir);
    const heapLoaded = await isolateHeap(worker.mf);
    const loadSeconds = load.wallMs / 1000;
    log(`loaded ${total} entities in ${loadSeconds.toFixed(2)} s (${Math.round(total / loadSeconds)} entities/s); count verified (${page1.totalItems} incl. the location entity)`);

    // --- inputs
    const rand = prng(7);
    const pick = (arr) => arr[Math.floor(rand() * arr.length)];
    const byNameUrls = Array.from({ length: 512 }, () => {
      const e = pick(dataset.entities);
      return `${url}/api/catalog/entities/by-name/${e.kind.toLowerCase()}/default/${encodeURIComponent(e.name)}`;
    });
    const byRefsBodies = Array.from({ length: 64 }, () => JSON.stringify({ entityRefs: Array.from({ length: 100 }, () => pick(dataset.entities).ref) }));
    const filter = "kind=component,spec.type=service";
    const firstPageUrl = `${url}/api/catalog/entities/by-query?${qs([["filter", filter], ["limit", "50"]])}`;
    const ftUrl = `${url}/api/catalog/entities/by-query?${qs([["fullTextFilterTerm", dataset.fullTextWord], ["fullTextFilterFields", "metadata.name,metadata.title"], ["limit", "50"]])}`;
    const facet = (facets, f) => `${url}/api/catalog/entity-facets?${qs([...facets.map((x) => ["facet", x]), ...(f ? [["filter", f]] : [])])}`;
    const searchUrl = `${url}/api/search?${qs([["q", dataset.fullTextWord]])}`;

    // Walk the cursor chain once: every page URL (page 1 computes totalItems, later pages carry it in the cursor).
    const pageUrls = [firstPageUrl];
    let seen = 0;
    let totalItems = 0;
    for (let pageUrl = firstPageUrl; pageUrl; ) {
      const page = await getJsonR(pageUrl);
      seen += page.items.length;
      totalItems = page.totalItems;
      const next = page.pageInfo.nextCursor;
      pageUrl = next ? `${url}/api/catalog/entities/by-query?${qs([["cursor", next], ["limit", "50"]])}` : "";
      if (pageUrl) pageUrls.push(pageUrl);
    }
    if (seen !== dataset.counts.services || totalItems !== dataset.counts.services) {
      throw new Error(`cursor paging saw ${seen} items (totalItems ${totalItems}), expected ${dataset.counts.services} services`);
    }
    const ftCheck = await getJsonR(ftUrl);
    log(`paging: ${pageUrls.length} pages of 50 for ${seen} services; full text '${dataset.fullTextWord}' matches ${ftCheck.totalItems} entities`);

    // --- measurements
    /** @type {{ key: string, label: string, run: (i: number) => Promise<unknown>, peer?: keyof typeof BACKSTAGE, rule: "floor" | "factor" | "p99" | "none", floor?: boolean }[]} */
    const cases = [
      { key: "floor-hello", label: "floor: GET /hello (no I/O, same workerd)", run: () => getR(`${floorURL}/hello`, {}), rule: "none", floor: true },
      { key: "floor-row", label: "floor: one D1 row by primary key", run: () => getR(`${floorURL}/row`, {}), rule: "none", floor: true },
      { key: "health", label: "worker: GET /api/health (Hono, no I/O, anonymous)", run: () => getR(`${url}/api/health`, {}), rule: "none", floor: true },
      { key: "by-name", label: "by-name", run: (i) => getR(byNameUrls[i % byNameUrls.length]), peer: "by-name", rule: "floor" },
      { key: "by-query-page1", label: "by-query kind+type, limit 50, page 1 (+totalItems)", run: () => getR(firstPageUrl), peer: "paging", rule: "factor" },
      { key: "paging", label: `cursor paging, all ${pageUrls.length} pages (per page)`, run: (i) => getR(pageUrls[i % pageUrls.length]), peer: "paging", rule: "factor" },
      { key: "full-text", label: `full text '${dataset.fullTextWord}' (name,title), limit 50`, run: () => getR(ftUrl), peer: "fullText", rule: "factor" },
      { key: "facet-type", label: "facets spec.type, filter kind=component", run: () => getR(facet(["spec.type"], "kind=component")), peer: "facetType", rule: "factor" },
      { key: "facet-tags", label: "facets metadata.tags, filter kind=component", run: () => getR(facet(["metadata.tags"], "kind=component")), peer: "facetTags", rule: "factor" },
      { key: "facet-owner", label: "facets spec.owner, filter kind=component", run: () => getR(facet(["spec.owner"], "kind=component")), peer: "facetOwner", rule: "factor" },
      { key: "facets-3", label: "facets kind+spec.type+spec.lifecycle, no filter", run: () => getR(facet(["kind", "spec.type", "spec.lifecycle"])), peer: "facets3", rule: "factor" },
      { key: "by-refs", label: "by-refs, 100 refs", run: (i) => postR(`${url}/api/catalog/entities/by-refs`, byRefsBodies[i % byRefsBodies.length]), peer: "byRefs", rule: "floor" },
      { key: "search", label: `GET /api/search?q=${dataset.fullTextWord} (portal search)`, run: () => getR(searchUrl), rule: "p99" },
      // The floor again, to show how much the machine drifted during the run (other load, heap growth).
      { key: "floor-hello-after", label: "floor again after the queries: GET /hello", run: () => getR(`${floorURL}/hello`, {}), rule: "none", floor: true },
      { key: "floor-row-after", label: "floor again after the queries: one D1 row", run: () => getR(`${floorURL}/row`, {}), rule: "none", floor: true },
    ];
    const measured = {};
    for (const c of cases) {
      const r1 = await measure({ name: c.label, concurrency: 1, requests: requests1, run: c.run });
      const r16 = await measure({ name: c.label, concurrency: 16, requests: requests16, run: c.run });
      measured[c.key] = { c1: r1, c16: r16 };
      log(`${c.label}: c=1 p50 ${ms(r1.p50)}, ${r1.rps} req/s; c=16 ${r16.rps} req/s, p99 ${ms(r16.p99)}`);
    }
    const memAfter = workerMemory();
    const heapAfter = await isolateHeap(worker.mf);

    // The same queries with the read cache off (CATALOG_READ_CACHE=off): what a first or just-invalidated
    // read costs, every request going to D1.
    const noCache = {};
    if (uncached) {
      await worker.dispose();
      log("uncached pass: restarting the worker on the same database with CATALOG_READ_CACHE=off");
      const plain = await startWorker({ persistDir, bindings: { CATALOG_READ_CACHE: "off" } });
      origin = plain.url;
      reader = { cookie: await sessionCookie(member) };
      await checkSession(origin, reader.cookie, member.ref);
      try {
        for (const c of cases.filter((x) => x.rule !== "none")) {
          const r1 = await measure({ name: c.label, concurrency: 1, requests: requests1, run: c.run });
          const r16 = await measure({ name: c.label, concurrency: 16, requests: requests16, run: c.run });
          noCache[c.key] = { c1: r1, c16: r16 };
          log(`no cache: ${c.label}: c=1 p50 ${ms(r1.p50)}, ${r1.rps} req/s; c=16 ${r16.rps} req/s, p99 ${ms(r16.p99)}`);
        }
      } finally {
        await plain.dispose();
      }
    }
    // The one-row floor for the "within 1.5×" rule: the mean of the two floor measurements (before and after).
    const floorP50 = (measured["floor-row"].c1.p50 + measured["floor-row-after"].c1.p50) / 2;

    const rows = [];
    for (const c of cases) {
      const { c1, c16 } = measured[c.key];
      const peer = c.peer ? BACKSTAGE[c.peer] : undefined;
      let target = "";
      const misses = [];
      const notes = [];
      if (c.rule === "factor") {
        const want = peer.c16rps * TARGETS.factor;
        target = `≥${formatNumber(want)} req/s (10×), p99<${TARGETS.p99ms}`;
        if (c16.rps < want) misses.push(`${(c16.rps / peer.c16rps).toFixed(1)}× Backstage`);
        else notes.push(`${(c16.rps / peer.c16rps).toFixed(0)}× Backstage`);
      } else if (c.rule === "floor") {
        const limit = floorP50 * TARGETS.floorFactor;
        target = `≥${formatNumber(peer.c16rps)} req/s, p50≤1.5× floor, p99<${TARGETS.p99ms}`;
        const ratio = c1.p50 / floorP50;
        if (c16.rps < peer.c16rps) misses.push(`${(c16.rps / peer.c16rps).toFixed(2)}× Backstage req/s`);
        if (c1.p50 > limit) misses.push(`p50 ${ratio.toFixed(1)}× floor`);
        else notes.push(`p50 ${ratio.toFixed(2)}× floor`);
        notes.push(`${(c16.rps / peer.c16rps).toFixed(1)}× Backstage`);
      } else if (c.rule === "p99") {
        target = `p99<${TARGETS.p99ms}`;
      }
      if (c.rule !== "none" && c16.p99 >= TARGETS.p99ms) misses.push(`p99 ${formatNumber(c16.p99)} ms`);
      rows.push({
        query: c.label,
        c1p50: c1.p50,
        c1rps: c1.rps,
        c16rps: c16.rps,
        c16p95: c16.p95,
        c16p99: c16.p99,
        ncP50: noCache[c.key]?.c1.p50 ?? null,
        ncRps: noCache[c.key]?.c16.rps ?? null,
        backstage: peer ? peer.c16rps : null,
        target: c.floor ? "(floor)" : target,
        verdict: c.rule === "none" ? "" : misses.length ? `MISS: ${misses.join(", ")}` : `ok${notes.length ? ` (${notes.join(", ")})` : ""}`,
      });
      if (c.key === "health" || c.key === "search") rows.push({ separator: true });
    }
    const pagingRow = measured.paging;
    const queryColumns = [
      { key: "query", label: "query", align: "left" },
      { key: "c1p50", label: "c=1 p50", format: ms },
      { key: "c1rps", label: "c=1 req/s" },
      { key: "c16rps", label: "c=16 req/s" },
      { key: "c16p95", label: "c=16 p95", format: ms },
      { key: "c16p99", label: "c=16 p99", format: ms },
      { key: "ncP50", label: "no cache: c=1 p50", format: (v) => (v == null ? "" : ms(v)) },
      { key: "ncRps", label: "no cache: c=16 req/s", format: (v) => (v == null ? "" : formatNumber(v)) },
      { key: "backstage", label: "Backstage c=16 req/s", format: (v) => (v == null ? "—" : formatNumber(v)) },
      { key: "target", label: "target", align: "left" },
      { key: "verdict", label: "verdict", align: "left" },
    ];

    const loadRows = [
      {
        what: `ingest ${total.toLocaleString("en-US")} entities (${dataset.counts.files} files, ${load.requests} requests of ${load.perRequest} files, ${load.parallel} in flight${load.resent ? `, ${load.resent} resent` : ""})`,
        edgestage: `${loadSeconds.toFixed(2)} s (${Math.round(total / loadSeconds).toLocaleString("en-US")} entities/s)`,
        backstage: entities === 10_000 ? `${BACKSTAGE.ingestionSeconds} s (~80 entities/s)` : entities === 1_000 ? `${BACKSTAGE.ingestionSeconds1k} s` : "—",
        target: entities === 10_000 ? `≤${TARGETS.ingestionSeconds} s` : "—",
        verdict: entities === 10_000 ? (loadSeconds <= TARGETS.ingestionSeconds ? `ok (${(BACKSTAGE.ingestionSeconds / loadSeconds).toFixed(0)}× faster)` : `MISS (${(BACKSTAGE.ingestionSeconds / loadSeconds).toFixed(1)}× faster)`) : "",
      },
      { what: "worker isolate V8 heap, empty catalog", edgestage: formatHeap(heapEmpty), backstage: "", target: "", verdict: "" },
      { what: "worker isolate V8 heap, largest sample while loading", edgestage: formatHeap(heapLoadPeak), backstage: "", target: "< 128 MB per isolate", verdict: heapLoadPeak ? (heapLoadPeak.usedMB < 128 ? `ok (${heapLoadPeak.usedMB} of 128 MB live)` : "MISS") : "n/a" },
      { what: "worker isolate V8 heap after loading", edgestage: formatHeap(heapLoaded), backstage: "", target: "", verdict: "" },
      {
        what: "worker isolate V8 heap after the query runs",
        edgestage: formatHeap(heapAfter),
        backstage: "",
        target: "< 128 MB per isolate",
        verdict: heapAfter ? (heapAfter.usedMB < 128 ? `ok (${heapAfter.usedMB} of 128 MB live)` : "MISS") : "n/a",
      },
      { what: "D1 database on disk (SQLite + WAL)", edgestage: `${(dbBytes / 2 ** 20).toFixed(1)} MB`, backstage: "", target: "", verdict: "" },
      { what: "workerd process RSS, empty catalog", edgestage: formatMemory(memEmpty), backstage: `${BACKSTAGE.rssEmptyMB} MB`, target: "", verdict: "" },
      { what: "workerd process RSS after loading", edgestage: formatMemory(memLoaded), backstage: `${BACKSTAGE.rssAfterIngestionMB} MB`, target: "", verdict: "" },
      { what: "workerd process RSS after the query runs", edgestage: formatMemory(memAfter), backstage: `${BACKSTAGE.rssPeakMB} MB peak`, target: "", verdict: "" },
    ];
    const loadColumns = [
      { key: "what", label: "load and memory", align: "left" },
      { key: "edgestage", label: "Edgestage", align: "left" },
      { key: "backstage", label: "Backstage", align: "left" },
      { key: "target", label: "target", align: "left" },
      { key: "verdict", label: "verdict", align: "left" },
    ];

    const notes = [
      `Client and server share this machine's cores; keep-alive node:http client, ${requests1} requests at c=1 and ${requests16} at c=16 per row after a short warm-up.`,
      `Catalog reads carry a signed-in member's session cookie (${member.ref}, ${member.ownershipRefs.length} ownership claims; the worker runs with EDGESTAGE_ENV=production, ` +
        `so nothing but /api/health answers anonymously): each figure includes the session check. The floor and /api/health rows send no cookie.`,
      `Main columns: the worker as deployed. Repeated catalog reads are answered from the isolate's read cache after one catalog_version read ` +
        `(worker/catalog/read-cache.ts; never stale: any write moves the version). "no cache" columns: the same requests with CATALOG_READ_CACHE=off, each one querying D1.`,
      `Cursor paging: ${pageUrls.length} pages × 50 of ${seen} services; page ${formatNumber(pagingRow.c1.p50)} ms at c=1 (Backstage ${BACKSTAGE.paging.c1p50} ms/page), ` +
        `${formatNumber(pagingRow.c16.rps)} pages/s at c=16, one full walk ≈ ${formatNumber((pageUrls.length * 1000) / pagingRow.c1.rps)} ms at c=1.`,
      `Floor rows come from a plain module worker in the same workerd bound to the same D1 database (scripts/bench/floor-worker.mjs), ` +
        `measured before and after the queries; "p50 ≤ 1.5× floor" uses the mean of the two one-row p50s (${formatNumber(floorP50)} ms).`,
      `Isolate heap: Runtime.getHeapUsage of the edgestage isolate over workerd's inspector (used / allocated). workerd RSS is the whole local runtime ` +
        `(every isolate incl. Miniflare's internal workers, D1's SQLite and page cache, allocator slack), the figure to set beside Backstage's process RSS.`,
    ];
    const json = {
      entities: total,
      member,
      dataset: dataset.counts,
      fullTextWord: dataset.fullTextWord,
      fullTextMatches: ftCheck.totalItems,
      pages: pageUrls.length,
      load: { seconds: loadSeconds, entitiesPerSecond: total / loadSeconds, requests: load.requests, perRequest: load.perRequest, parallel: load.parallel, resent: load.resent, summary: load.summary },
      databaseBytes: dbBytes,
      memory: { empty: memEmpty, afterLoad: memLoaded, afterQueries: memAfter },
      isolateHeap: { empty: heapEmpty, loadPeak: heapLoadPeak, afterLoad: heapLoaded, afterQueries: heapAfter },
      queries: Object.fromEntries(cases.map((c) => [c.key, { label: c.label, ...measured[c.key], noCache: noCache[c.key] ?? null, backstage: c.peer ? BACKSTAGE[c.peer] : null }])),
      table: rows.filter((r) => !r.separator),
      backstage: BACKSTAGE,
      targets: TARGETS,
      seconds: (performance.now() - t0) / 1000,
    };
    return {
      json,
      sections: [
        { title: `Catalog queries, N = ${total.toLocaleString("en-US")} (Edgestage built worker in workerd via Miniflare; Backstage figures from performance-targets.md)`, rows, columns: queryColumns },
        { title: "Load and memory", rows: loadRows, columns: loadColumns },
      ],
      notes,
    };
  } finally {
    await worker.dispose();
    if (ownDir) rmSync(ownDir, { recursive: true, force: true });
  }
}
