/**
 * The churn section of `npm run bench` (issue 13): the worker as `npm run preview` serves it (the deploy bundle
 * in workerd through Miniflare, assets in front, no dev proxy), the query mix at c=16, quiet and then while
 * 5 writes a second land (each rewriting one catalog file's description through POST /api/catalog/ingest, as a
 * push would), measured by two clients: a plain `fetch` client in a separate process (scripts/bench/fetch-client.mjs)
 * and the bench's own keep-alive node:http client (measure()). The same run's floor (a one-row worker on the
 * same D1) is measured the same four ways. Prints quiet and churn side by side with Backstage's c=16 figures.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { BACKSTAGE, TARGETS, loadDataset } from "./catalog.mjs";
import { generateDataset, prng } from "./dataset.mjs";
import { ADMIN_TOKEN, checkSession, formatNumber, get, getJson, measure, ms, post, sessionCookie, startWorker } from "./lib.mjs";

const log = (s) => process.stderr.write(`· ${s}\n`);
const FETCH_CLIENT = fileURLToPath(new URL("./fetch-client.mjs", import.meta.url));
export const WRITES_PER_SECOND = 5;

/** Runs the plain-fetch client in its own process on `requests` (see fetch-client.mjs). */
function fetchClient(spec) {
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [FETCH_CLIENT], { stdio: ["pipe", "pipe", "pipe"] });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", fail);
    child.on("exit", (code) => (code === 0 ? ok(JSON.parse(out)) : fail(new Error(`fetch client exited ${code}: ${err.slice(-1000)}`))));
    child.stdin.end(JSON.stringify(spec));
  });
}

/**
 * Lands WRITES_PER_SECOND ingests a second, each rewriting the description of one file's first entity (a
 * different file each time, round robin), until stopped; a write that takes longer than its slot delays the next.
 */
function startWriter(url, files) {
  let stopped = false;
  let n = 0;
  const latencies = [];
  let failures = 0;
  const started = performance.now();
  const loop = (async () => {
    const interval = 1000 / WRITES_PER_SECOND;
    for (let i = 0; !stopped; i++) {
      const due = started + i * interval;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      if (stopped) break;
      const file = files[(i * 7919) % files.length];
      const content = file.content.replace(/^( {2}description: ).*$/m, `$1churn write ${i} at ${Date.now()}`);
      const body = JSON.stringify({ location: { type: "file", target: "/bench" }, files: [{ target: file.target, content }], roots: [file.target], complete: false });
      const t0 = performance.now();
      try {
        const res = await post(`${url}/api/catalog/ingest`, body, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` }, allowError: true });
        if (res.status !== 200) failures++;
        const summary = res.status === 200 ? JSON.parse(res.text).summary : null;
        if (!summary?.updated) failures++;
      } catch {
        failures++;
      }
      latencies.push(performance.now() - t0);
      n++;
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return { writes: n, failures, perSecond: n / seconds, p50: latencies[Math.floor(latencies.length / 2)] ?? NaN, max: latencies.at(-1) ?? NaN };
  };
}

const qs = (pairs) => new URLSearchParams(pairs).toString();

/**
 * @param {{ entities?: number, persistDir: string, loaded?: boolean, requests?: number }} options
 */
export async function benchChurn({ entities = 10_000, persistDir, loaded = false, requests = 1000 }) {
  const dataset = generateDataset({ entities });
  log("churn: starting the worker as npm run preview serves it (deploy bundle, assets, no dev proxy) with the floor worker beside it");
  const worker = await startWorker({ persistDir, assets: true, floor: true });
  const { url, floorURL } = worker;
  try {
    if (!loaded) {
      log(`churn: loading ${entities} entities`);
      await loadDataset(url, dataset);
    }
    const cookie = await sessionCookie(dataset.member);
    await checkSession(url, cookie, dataset.member.ref);
    const reader = { cookie };

    const rand = prng(11);
    const pick = (arr) => arr[Math.floor(rand() * arr.length)];
    const api = `${url}/api/catalog`;
    const pageUrls = [];
    for (let next = `${api}/entities/by-query?${qs([["filter", "kind=component,spec.type=service"], ["limit", "50"]])}`; next; ) {
      pageUrls.push(next);
      const page = JSON.parse((await get(next, { headers: reader })).text);
      next = page.pageInfo.nextCursor ? `${api}/entities/by-query?${qs([["cursor", page.pageInfo.nextCursor], ["limit", "50"]])}` : "";
    }
    const ftUrl = `${api}/entities/by-query?${qs([["fullTextFilterTerm", dataset.fullTextWord], ["fullTextFilterFields", "metadata.name,metadata.title"], ["limit", "50"]])}`;
    const facet = (f) => `${api}/entity-facets?${qs([["facet", f], ["filter", "kind=component"]])}`;
    const byNameUrls = Array.from({ length: 512 }, () => {
      const e = pick(dataset.entities);
      return `${api}/entities/by-name/${e.kind.toLowerCase()}/default/${encodeURIComponent(e.name)}`;
    });
    const byRefs = Array.from({ length: 64 }, () => ({
      url: `${api}/entities/by-refs`,
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entityRefs: Array.from({ length: 100 }, () => pick(dataset.entities).ref) }),
    }));
    const cases = [
      { key: "floor-hello", label: "floor: no I/O (same workerd, a small JSON body)", requests: [{ url: `${floorURL}/hello` }], anonymous: true },
      { key: "floor-row", label: "floor: one D1 row (same workerd, same D1)", requests: [{ url: `${floorURL}/row` }], anonymous: true },
      { key: "by-name", label: "by-name", requests: byNameUrls.map((u) => ({ url: u })), peer: "by-name", rule: "floor" },
      { key: "paging", label: `by-query cursor walk, ${pageUrls.length} pages of 50`, requests: pageUrls.map((u) => ({ url: u })), peer: "paging", rule: 10 },
      { key: "full-text", label: "full text (name, title), limit 50", requests: [{ url: ftUrl }], peer: "fullText", rule: 10 },
      { key: "facet-type", label: "facets spec.type, kind=component", requests: [{ url: facet("spec.type") }], peer: "facetType", rule: 10 },
      { key: "facet-tags", label: "facets metadata.tags, kind=component", requests: [{ url: facet("metadata.tags") }], peer: "facetTags", rule: 10 },
      { key: "facet-owner", label: "facets spec.owner, kind=component", requests: [{ url: facet("spec.owner") }], peer: "facetOwner", rule: 10 },
      { key: "by-refs", label: "by-refs, 100 refs", requests: byRefs, peer: "byRefs", rule: 5 },
    ];

    const runHttp = (c) =>
      measure({
        name: c.label,
        concurrency: 16,
        requests,
        run: (i) => {
          const r = c.requests[i % c.requests.length];
          const headers = c.anonymous ? {} : { ...reader, ...(r.headers ?? {}) };
          return r.method === "POST" ? post(r.url, r.body, { headers }) : get(r.url, { headers });
        },
      });
    const runFetch = (c) => fetchClient({ requests: c.requests, concurrency: 16, count: requests, headers: c.anonymous ? {} : reader });

    const phase = async (name) => {
      const out = {};
      for (const c of cases) {
        const viaFetch = await runFetch(c);
        if (viaFetch.errors) throw new Error(`${c.label}: ${viaFetch.errors} errors (${viaFetch.firstError})`);
        const viaHttp = await runHttp(c);
        out[c.key] = { fetch: viaFetch, http: viaHttp };
        log(`${name} ${c.label}: fetch ${viaFetch.rps} req/s p99 ${ms(viaFetch.p99)}; node:http ${viaHttp.rps} req/s p99 ${ms(viaHttp.p99)}`);
      }
      return out;
    };

    const quiet = await phase("quiet");
    log(`churn: ${WRITES_PER_SECOND} writes/s (one file's description each) while measuring`);
    const stopWriter = startWriter(url, dataset.files);
    let churn;
    let writes;
    try {
      churn = await phase("churn");
    } finally {
      writes = await stopWriter();
    }
    // Every write must have landed and be visible: the last one's description is read back.
    const health = await getJson(`${url}/api/health`);

    /**
     * What no design can beat on this machine: the no-I/O floor's req/s with the same client, as a multiple of
     * each peer figure (a target above it is out of reach whatever the worker does, since client and server
     * share the cores).
     */
    const ceilingNote = () => {
      const hello = { quiet: quiet["floor-hello"].fetch, churn: churn["floor-hello"].fetch };
      const ceilings = cases
        .filter((c) => c.peer && c.rule !== "floor")
        .map((c) => `${c.key} ${formatNumber(hello.quiet.rps / BACKSTAGE[c.peer].c16rps)}× (target ${c.rule}×)`);
      return `Ceiling: the no-I/O floor serves ${formatNumber(hello.quiet.rps)} req/s quiet / ${formatNumber(hello.churn.rps)} churn with the fetch client (p99 ${ms(hello.quiet.p99)} / ${ms(hello.churn.p99)}), so no route can exceed, as a multiple of Backstage: ${ceilings.join(", ")}.`;
    };
    const floorRow = { quiet: quiet["floor-row"].fetch.p50, churn: churn["floor-row"].fetch.p50 };
    const verdict = (c, phaseName, r) => {
      if (!c.peer) return "";
      const peer = BACKSTAGE[c.peer];
      const okP99 = r.p99 < TARGETS.p99ms;
      if (c.rule === "floor") {
        const f = r.p50 / floorRow[phaseName];
        return `${formatNumber(f)}× floor p50${f <= TARGETS.floorFactor && okP99 ? "" : " ✗"}`;
      }
      const x = r.rps / peer.c16rps;
      return `${formatNumber(x)}×${x >= c.rule && okP99 ? "" : " ✗"}`;
    };
    const rows = cases.map((c) => ({
      query: c.label,
      qf: `${formatNumber(quiet[c.key].fetch.rps)} / ${ms(quiet[c.key].fetch.p99)}`,
      cf: `${formatNumber(churn[c.key].fetch.rps)} / ${ms(churn[c.key].fetch.p99)}`,
      qh: `${formatNumber(quiet[c.key].http.rps)} / ${ms(quiet[c.key].http.p99)}`,
      ch: `${formatNumber(churn[c.key].http.rps)} / ${ms(churn[c.key].http.p99)}`,
      backstage: c.peer ? `${formatNumber(BACKSTAGE[c.peer].c16rps)} / ${ms(BACKSTAGE[c.peer].c16p99)}` : "",
      target: c.rule === "floor" ? "≤1.5× floor, p99<50" : c.rule ? `≥${c.rule}×, p99<50` : "",
      vq: verdict(c, "quiet", quiet[c.key].fetch),
      vc: verdict(c, "churn", churn[c.key].fetch),
    }));
    const columns = [
      { key: "query", label: "c=16, req/s / p99", align: "left" },
      { key: "qf", label: "quiet (fetch)", align: "right" },
      { key: "cf", label: "churn (fetch)", align: "right" },
      { key: "qh", label: "quiet (node:http)", align: "right" },
      { key: "ch", label: "churn (node:http)", align: "right" },
      { key: "backstage", label: "Backstage", align: "right" },
      { key: "target", label: "target", align: "left" },
      { key: "vq", label: "quiet vs target", align: "left" },
      { key: "vc", label: "churn vs target", align: "left" },
    ];
    const notes = [
      `Churn: ${writes.writes} writes landed at ${formatNumber(writes.perSecond)}/s during the churn phase (${writes.failures} failed), each an ingest rewriting one file's description; write p50 ${ms(writes.p50)}, max ${ms(writes.max)}.`,
      `fetch: a plain Node fetch client in a separate process; node:http: the bench's keep-alive client in the bench process. ${requests} requests per cell after a warm-up, c=16; verdicts use the fetch client.`,
      `by-name's verdict is its fetch p50 over the floor row's fetch p50 in the same phase (${ms(floorRow.quiet)} quiet, ${ms(floorRow.churn)} churn).`,
      ceilingNote(),
      `Worker health after the churn: ${health.status}.`,
    ];
    return {
      json: { quiet, churn, writes, pages: pageUrls.length },
      sections: [{ title: `Churn (issue 13): quiet vs ${WRITES_PER_SECOND} writes/s, N = ${entities.toLocaleString("en-US")}, the preview server`, rows, columns }],
      notes,
    };
  } finally {
    await worker.dispose();
  }
}
