#!/usr/bin/env node
/**
 * `npm run bench [-- --entities N] [-- --only catalog|identity|web|ingestion]`
 *
 * Bundles the worker as `wrangler deploy` would, runs it in workerd through Miniflare's API with production
 * settings (reads carry a signed-in member's session cookie), loads N synthetic entities (default 10,000) and
 * prints latency/throughput tables next to the floor measured in the same run and Backstage's figures
 * (shared/spec/performance-targets.md); then the identity budgets (session check, sign-in round trip), the portal
 * and ingestion. Optional sections run when their modules exist: scripts/bench/identity.mjs (benchIdentity),
 * scripts/bench/web.mjs (benchWeb(baseURL, { cookie })) and scripts/bench/ingestion.mjs (benchIngestion({ startWorker, measure })).
 * Results also go to .bench/results.json. No assertion on timings: the exit code is 0 unless the bench itself breaks.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir, totalmem } from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { parseArgs } from "node:util";
import { BENCH_DIR, ROOT, ADMIN_TOKEN, measure, printTable, sessionCookie, startWorker, workerMemory } from "./lib.mjs";

const HELP = `Usage: npm run bench -- [--entities N] [--only catalog|churn|identity|web|ingestion|plugins|techdocs|scaffolder|storage|scale] [--scale N]

  --entities N   catalog size (default 10000; the peer figures are for 10000)
  --only NAME    run one section: catalog, churn (quiet vs 5 writes/s, fetch and node:http clients), identity (session check and sign-in budgets),
                 web (portal pages; needs scripts/bench/web.mjs), ingestion (needs scripts/bench/ingestion.mjs), plugins, techdocs, scaffolder (software templates)
                 or storage (D1 bytes per entity by table and index, on a fresh database),
                 or scale (issue 13 at 100,000 entities: load time, isolate heap, D1 size, a new isolate's first page, cold portal loads)
  --scale N      the scale section's catalog size (default 100000); the scale section runs only with --only scale or --scale
  -h, --help     this help

Prints the tables and writes .bench/results.json.`;

const SECTIONS = ["catalog", "churn", "identity", "web", "ingestion", "plugins", "techdocs", "scaffolder", "storage", "scale"];

function parse() {
  const { values } = parseArgs({
    options: { entities: { type: "string" }, only: { type: "string" }, scale: { type: "string" }, help: { type: "boolean", short: "h" } },
    allowPositionals: false,
  });
  if (values.help) {
    console.log(HELP);
    process.exit(0);
  }
  const entities = values.entities === undefined ? 10_000 : Number(values.entities);
  if (!Number.isInteger(entities) || entities < 20) throw new Error(`--entities must be an integer ≥ 20, got ${values.entities}`);
  if (values.only !== undefined && !SECTIONS.includes(values.only)) throw new Error(`--only must be one of ${SECTIONS.join(", ")}`);
  const scale = values.scale === undefined ? (values.only === "scale" ? 100_000 : null) : Number(values.scale);
  if (scale !== null && (!Number.isInteger(scale) || scale < 20)) throw new Error(`--scale must be an integer ≥ 20, got ${values.scale}`);
  return { entities, only: values.only, scale };
}

const heading = (title) => console.log(`\n## ${title}\n`);

/** Prints a section result whatever its shape: { sections: [{ title, rows, columns }] }, { rows, columns }, an array of rows, or text. */
function printResult(result) {
  if (result === undefined || result === null) return;
  if (typeof result === "string") return console.log(result);
  if (Array.isArray(result)) return result.length ? printTable(result) : undefined;
  if (Array.isArray(result.sections)) {
    for (const s of result.sections) {
      if (s.title) heading(s.title);
      printResult(s.rows ? { rows: s.rows, columns: s.columns } : s);
    }
  } else if (Array.isArray(result.rows)) {
    printTable(result.rows, result.columns);
  } else if (Array.isArray(result.tables)) {
    for (const t of result.tables) {
      if (t.title) heading(t.title);
      printResult(t.rows ? { rows: t.rows, columns: t.columns } : t);
    }
  }
  for (const n of result.notes ?? []) console.log(`- ${n}`);
}

const jsonOf = (result) => (result && typeof result === "object" && "json" in result ? result.json : result);

/** Imports an optional section module; undefined (with the reason) when it is not there. */
async function optionalModule(file) {
  const path = join(ROOT, "scripts", "bench", file);
  if (!existsSync(path)) return { skip: `scripts/bench/${file} is not there` };
  try {
    return { mod: await import(path) };
  } catch (err) {
    return { skip: `scripts/bench/${file} failed to load: ${err.message}` };
  }
}

function run(command, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, CI: "true" } });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("exit", (code) => (code === 0 ? resolvePromise(out) : reject(new Error(`${command} ${args.join(" ")} exited ${code}:\n${out.slice(-2000)}`))));
  });
}

async function main() {
  const { entities, only, scale } = parse();
  const want = (s) => !only || only === s;
  mkdirSync(BENCH_DIR, { recursive: true });
  const started = performance.now();
  const results = {
    startedAt: new Date().toISOString(),
    machine: { cpus: cpus().length, cpuModel: cpus()[0]?.model, memoryGB: Math.round(totalmem() / 2 ** 30), node: process.version, platform: process.platform },
    entities,
    sections: {},
  };
  results.loadAverageAtStart = loadavg().map((v) => Math.round(v * 100) / 100);
  console.log(`# Edgestage benchmark — ${entities.toLocaleString("en-US")} entities, ${results.machine.cpus} CPUs, Node ${process.version}`);
  if (results.loadAverageAtStart[0] > 0.5 * results.machine.cpus) {
    console.log(`(load average ${results.loadAverageAtStart.join(" ")} at start: other processes share the CPUs, expect lower and noisier figures)`);
  }

  // One D1 directory for the run: the catalog section loads it, the web section serves the same data.
  const persistDir = mkdtempSync(join(tmpdir(), "edgestage-bench-run-"));
  let loaded = false;
  /** The signed-in member the reads go as (the dataset's first user); the same dataset whichever section loads it. */
  let member;
  const memberOf = async () => (member ??= (await import("./dataset.mjs")).generateDataset({ entities }).member);
  /** Loads the catalog for a section run on its own. */
  const ensureLoaded = async (url) => {
    if (loaded) return;
    const { loadDataset } = await import("./catalog.mjs");
    const { generateDataset } = await import("./dataset.mjs");
    process.stderr.write(`· loading ${entities} entities\n`);
    const dataset = generateDataset({ entities });
    member = dataset.member;
    await loadDataset(url, dataset);
    loaded = true;
  };
  try {
    if (want("catalog")) {
      const { benchCatalog } = await import("./catalog.mjs");
      const result = await benchCatalog({ entities, persistDir });
      loaded = true;
      member = result.json.member;
      results.sections.catalog = jsonOf(result);
      printResult(result);
    }

    if (want("churn")) {
      try {
        const { benchChurn } = await import("./churn.mjs");
        const result = await benchChurn({ entities, persistDir, loaded });
        loaded = true;
        printResult(result);
        results.sections.churn = jsonOf(result);
      } catch (err) {
        console.log(`\n(churn section failed: ${err?.stack ?? err})`);
        results.sections.churn = { error: String(err?.message ?? err) };
      }
    }

    if (want("identity")) {
      const { mod, skip } = await optionalModule("identity.mjs");
      if (skip || typeof mod?.benchIdentity !== "function") {
        console.log(`\n(identity section skipped: ${skip ?? "scripts/bench/identity.mjs exports no benchIdentity"})`);
        results.sections.identity = { skipped: skip ?? "no benchIdentity export" };
      } else {
        try {
          if (!loaded) {
            const w = await startWorker({ persistDir });
            try {
              await ensureLoaded(w.url);
            } finally {
              await w.dispose();
            }
          }
          const m = await memberOf();
          const q = results.sections.catalog?.queries;
          const d1QueryMs = q ? Math.round(((q["floor-row"].c1.p50 + q["floor-row-after"].c1.p50) / 2 - (q["floor-hello"].c1.p50 + q["floor-hello-after"].c1.p50) / 2) * 100) / 100 : null;
          const result = await mod.benchIdentity({
            startWorker,
            persistDir,
            member: m,
            byNamePath: `/api/catalog/entities/by-name/user/default/${encodeURIComponent(m.login)}`,
            cachedPath: "/api/catalog/entities/by-query?filter=kind%3Dcomponent%2Cspec.type%3Dservice&limit=50",
            adminToken: ADMIN_TOKEN,
            d1QueryMs,
          });
          heading("Identity (issue 9 budgets)");
          printResult(result);
          results.sections.identity = jsonOf(result) ?? null;
        } catch (err) {
          console.log(`\n(identity section failed: ${err?.stack ?? err})`);
          results.sections.identity = { error: String(err?.message ?? err) };
        }
      }
    }

    if (want("web")) {
      const { mod, skip } = await optionalModule("web.mjs");
      if (skip || typeof mod?.benchWeb !== "function") {
        console.log(`\n(web section skipped: ${skip ?? "scripts/bench/web.mjs exports no benchWeb"})`);
        results.sections.web = { skipped: skip ?? "no benchWeb export" };
      } else {
        let worker;
        try {
          if (existsSync(join(ROOT, "web", "index.html"))) {
            process.stderr.write("· building the portal (vite build)\n");
            await run(join(ROOT, "node_modules", ".bin", "vite"), ["build"]);
          }
          worker = await startWorker({ assets: true, persistDir });
          await ensureLoaded(worker.url);
          const result = await mod.benchWeb(worker.url, { cookie: await sessionCookie(await memberOf()) });
          heading("Web portal");
          printResult(result);
          results.sections.web = jsonOf(result) ?? null;
          const scaffolder = await optionalModule("scaffolder-web.mjs");
          if (scaffolder.mod?.benchScaffolderWeb) {
            const r = await scaffolder.mod.benchScaffolderWeb(worker.url, { cookie: await sessionCookie(await memberOf()), adminToken: ADMIN_TOKEN });
            heading("Software templates in the portal (issue 12 budget: form first render ≤ 300 ms)");
            printResult(r);
            results.sections.scaffolderWeb = jsonOf(r) ?? null;
          }
        } catch (err) {
          console.log(`\n(web section failed: ${err?.stack ?? err})`);
          results.sections.web = { error: String(err?.message ?? err) };
        } finally {
          await worker?.dispose();
        }
      }
    }

    if (want("ingestion")) {
      const { mod, skip } = await optionalModule("ingestion.mjs");
      if (skip || typeof mod?.benchIngestion !== "function") {
        console.log(`\n(ingestion section skipped: ${skip ?? "scripts/bench/ingestion.mjs exports no benchIngestion"})`);
        results.sections.ingestion = { skipped: skip ?? "no benchIngestion export" };
      } else {
        try {
          const result = await mod.benchIngestion({ startWorker, measure, entities, adminToken: ADMIN_TOKEN, workerMemory });
          heading("Ingestion");
          printResult(result);
          results.sections.ingestion = jsonOf(result) ?? null;
        } catch (err) {
          console.log(`\n(ingestion section failed: ${err?.stack ?? err})`);
          results.sections.ingestion = { error: String(err?.message ?? err) };
        }
      }
    }
    if (want("scaffolder")) await import("./scaffolder.mjs").then((m) => m.benchScaffolder({ startWorker, adminToken: ADMIN_TOKEN })).then((r) => (heading("Software templates (issue 12 budgets: task ≤ 3 s, created → visible ≤ 1 s)"), printResult(r), (results.sections.scaffolder = jsonOf(r))), (err) => (console.log(`\n(scaffolder section failed: ${err?.stack ?? err})`), (results.sections.scaffolder = { error: String(err?.message ?? err) })));
    if (want("plugins")) await import("./plugins.mjs").then((m) => m.benchPlugins()).then((r) => (heading("Plugins (issue 10 budget: a plugin route adds ≤ 0.3 ms)"), printResult(r), (results.sections.plugins = jsonOf(r))), (err) => (console.log(`\n(plugins section failed: ${err?.stack ?? err})`), (results.sections.plugins = { error: String(err?.message ?? err) })));
    // Minutes at 100,000 entities: only when asked for (--only scale, --scale N).
    if (scale !== null && want("scale")) await import("./scale.mjs").then((m) => m.benchScale({ entities: scale })).then((r) => (heading(`Scale (issue 13: ${scale.toLocaleString("en-US")} entities)`), printResult(r), (results.sections.scale = jsonOf(r))), (err) => (console.log(`\n(scale section failed: ${err?.stack ?? err})`), (results.sections.scale = { error: String(err?.message ?? err) })));
    if (want("storage")) await import("./storage.mjs").then((m) => m.benchStorage({ entities })).then((r) => (heading("Storage (issue 13: bytes per entity in D1)"), printResult(r), (results.sections.storage = jsonOf(r))), (err) => (console.log(`\n(storage section failed: ${err?.stack ?? err})`), (results.sections.storage = { error: String(err?.message ?? err) })));
    if (want("techdocs")) await import("./techdocs.mjs").then((m) => m.benchTechdocs({ startWorker, measure, adminToken: ADMIN_TOKEN })).then((r) => (heading("TechDocs (issue 11 budgets)"), printResult(r), (results.sections.techdocs = jsonOf(r))), (err) => (console.log(`\n(techdocs section failed: ${err?.stack ?? err})`), (results.sections.techdocs = { error: String(err?.message ?? err) })));
  } finally {
    rmSync(persistDir, { recursive: true, force: true });
  }

  results.loadAverageAtEnd = loadavg().map((v) => Math.round(v * 100) / 100);
  results.seconds = Math.round((performance.now() - started) / 100) / 10;
  const out = join(BENCH_DIR, "results.json");
  writeFileSync(out, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`\nTotal ${results.seconds} s. Results: ${out.replace(`${ROOT}`, "").replace(/^\//, "")}`);
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(`bench failed: ${err?.stack ?? err}`);
    process.exit(1);
  },
);
