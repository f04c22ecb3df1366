/**
 * The plugins section of `npm run bench` (issue 10's budget: a plugin route adds ≤ 0.3 ms over a core route).
 * Bundles scripts/bench/plugin-entry.mjs (the real worker plus a one-route `bench` plugin) as `wrangler deploy`
 * would, runs it in workerd through Miniflare with production settings, and times, as a signed-in member:
 * - over HTTP at c=1, interleaved request by request: GET /api/plugins/bench/ping (a plugin route) against
 *   GET /api/plugins (a core route with the same permission check and a small JSON answer), and /api/health;
 * - inside the isolate (app.request(), no network): the same pair in alternating blocks of 250, timed per block
 *   (the isolate's clock is coarse), for the mount's CPU cost alone.
 * The figures are the difference of the medians (HTTP) and of the means (inside). Both need a quiet machine:
 * the differences are tenths of a millisecond, and a busy CPU moves each route's figure by more than that.
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { spawn } from "node:child_process";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ADMIN_TOKEN, BENCH_DIR, ROOT, SESSION_SECRET, bundleModules, get, sessionCookie } from "./lib.mjs";

export const BUDGET_MS = 0.3;
const REQUESTS = 3000;
const WARMUP = 300;
const INSIDE_REQUESTS = 3000;
const OUT_DIR = join(BENCH_DIR, "build-plugins");

function build() {
  mkdirSync(join(ROOT, "dist"), { recursive: true });
  rmSync(OUT_DIR, { recursive: true, force: true });
  return new Promise((resolve, reject) => {
    const child = spawn(join(ROOT, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", OUT_DIR, "scripts/bench/plugin-entry.mjs"], {
      cwd: ROOT,
      env: { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => {
      // The entry's own name: the bundle also holds Text modules ending in .js (`<hash>-nunjucks.min.js`), which
      // sort first, and taking one of them as the main module served nothing (and leaked a socket per request).
      const script = existsSync(join(OUT_DIR, "plugin-entry.js")) ? "plugin-entry.js" : undefined;
      if (code === 0 && script) resolve(join(OUT_DIR, script));
      else reject(new Error(`wrangler deploy --dry-run (plugin bench) failed:\n${out.slice(-2000)}`));
    });
  });
}

async function start(scriptPath) {
  const { unstable_readConfig } = await import("wrangler");
  const config = unstable_readConfig({ config: join(ROOT, "wrangler.toml") });
  const { Miniflare } = await import("miniflare");
  const d1Dir = mkdtempSync(join(tmpdir(), "edgestage-bench-plugins-"));
  const mf = new Miniflare({
    host: "127.0.0.1",
    port: 0,
    cf: false,
    d1Persist: d1Dir,
    // BENCH_DEBUG=1 shows workerd's output (a crash's stack), as lib.mjs's startWorker does.
    handleRuntimeStdio: process.env.BENCH_DEBUG ? (out, err) => (out.pipe(process.stderr), err.pipe(process.stderr)) : () => {},
    workers: [
      {
        name: "edgestage",
        modules: true,
        scriptPath,
        // Listed as lib.mjs lists the deploy bundle's (the wasm and Text modules wrangler names by content hash,
        // which Miniflare's module rules cannot type): located modules fail on `<hash>-wasm`.
        modulesRoot: OUT_DIR,
        modules: bundleModules(OUT_DIR, scriptPath),
        compatibilityDate: config.compatibility_date,
        compatibilityFlags: config.compatibility_flags ?? [],
        bindings: { ...(config.vars ?? {}), ADMIN_TOKEN, SESSION_SECRET, EDGESTAGE_ENV: "production" },
        d1Databases: { DB: "edgestage-bench-plugins" },
        r2Buckets: ["BLOBS"],
        queueProducers: { JOBS: { queueName: "edgestage-jobs" } },
        ratelimits: Object.fromEntries((config.ratelimits ?? []).map((r) => [r.name, { simple: r.simple }])),
      },
    ],
  });
  const url = (await mf.ready).href.replace(/\/$/, "");
  return { url, dispose: async () => (await mf.dispose(), rmSync(d1Dir, { recursive: true, force: true })) };
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const round = (v, d = 3) => Math.round(v * 10 ** d) / 10 ** d;

export async function benchPlugins() {
  process.stderr.write("· plugins: bundling the worker with a bench plugin\n");
  const worker = await start(await build());
  try {
    const cookie = await sessionCookie({ ref: "user:default/bench-member", hasEntity: true });
    const headers = { cookie };
    const variants = [
      { name: "GET /api/plugins/bench/ping (plugin route)", path: "/api/plugins/bench/ping" },
      { name: "GET /api/plugins (core route, same permission)", path: "/api/plugins" },
      { name: "GET /api/health (core, no permission check)", path: "/api/health" },
    ];
    for (const v of variants) {
      const res = await get(`${worker.url}${v.path}`, { headers, allowError: true });
      if (res.status !== 200) throw new Error(`${v.path} answered ${res.status}: ${res.text.slice(0, 300)}`);
    }
    const lat = variants.map(() => []);
    for (let i = 0; i < WARMUP + REQUESTS; i++) {
      for (let j = 0; j < variants.length; j++) {
        const k = (i + j) % variants.length; // rotate the order so no variant always goes first
        const t0 = performance.now();
        await get(`${worker.url}${variants[k].path}`, { headers });
        if (i >= WARMUP) lat[k].push(performance.now() - t0);
      }
    }
    const rows = variants.map((v, k) => {
      const s = [...lat[k]].sort((a, b) => a - b);
      return { route: v.name, p50: round(median(s)), p95: round(s[Math.floor(s.length * 0.95)]), mean: round(s.reduce((a, b) => a + b, 0) / s.length) };
    });
    const inside = JSON.parse((await get(`${worker.url}/__bench/plugins-inside?n=${INSIDE_REQUESTS}`, { headers })).text);
    const httpOverhead = round(rows[0].p50 - rows[1].p50);
    const insideOverhead = round(inside.pluginMs - inside.coreMs);
    return {
      sections: [
        { title: "Plugin route vs core route (HTTP, c=1, ms)", rows, columns: ["route", "p50", "p95", "mean"] },
        {
          title: "Plugin mount overhead",
          rows: [
            { measure: "HTTP p50 difference", ms: httpOverhead, budget: BUDGET_MS, ok: httpOverhead <= BUDGET_MS ? "yes" : "no" },
            { measure: `inside the isolate (mean of ${inside.n}; core ${round(inside.coreMs)} ms, plugin ${round(inside.pluginMs)} ms)`, ms: insideOverhead, budget: BUDGET_MS, ok: insideOverhead <= BUDGET_MS ? "yes" : "no" },
          ],
          columns: ["measure", "ms", "budget", "ok"],
        },
      ],
      notes: [
        `${REQUESTS} requests per route after ${WARMUP} warm-up rounds, interleaved; a signed-in member's session cookie on each.`,
        `load average at the end: ${loadavg().map((v) => round(v, 2)).join(" ")} on ${cpus().length} CPUs`,
      ],
      json: { http: rows, httpOverheadMs: httpOverhead, inside, insideOverheadMs: insideOverhead, budgetMs: BUDGET_MS },
    };
  } finally {
    await worker.dispose();
  }
}
