/**
 * Shared benchmark plumbing: bundle the worker the way `wrangler deploy` does, run it in workerd through
 * Miniflare's API (no `wrangler dev` proxy in front), a keep-alive HTTP client, a latency/throughput
 * harness, an aligned table printer and the workerd process's memory.
 *
 * Exports used by the other bench sections (keep the names): startWorker, measure, printTable, workerMemory.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const BENCH_DIR = join(ROOT, ".bench");
export const BUILD_DIR = join(BENCH_DIR, "build");
export const ADMIN_TOKEN = "bench-token";
/** Signs the worker's session cookies in every bench worker (HS256, at least 32 characters, as in production). */
export const SESSION_SECRET = "bench-session-secret-not-for-production-0123456789";
/** worker/identity/session.ts: the cookie's name and the claims' issuer and audience. */
export const SESSION_COOKIE = "__Host-edgestage-session";
const SESSION_ISSUER = "edgestage";
const SESSION_AUDIENCE = "edgestage:session";
/** Path prefix routed to the floor worker (scripts/bench/floor-worker.mjs) in the same workerd. */
export const FLOOR_PREFIX = "/__floor";

const childEnv = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };

function runCommand(command, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (d) => (output += d));
    child.stderr.on("data", (d) => (output += d));
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolvePromise(output) : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`}):\n${output}`)),
    );
  });
}

/** @type {Map<string, Promise<{ scriptPath: string, config: any }>>} */
const built = new Map();

/**
 * Bundles the worker once per process and output folder with `wrangler deploy --dry-run` (the exact bundle a
 * deploy uploads) and reads wrangler.toml through wrangler's own parser. `npm run preview` builds into its own
 * folder, so a preview and a bench can run side by side.
 */
export function buildWorker(outDir = BUILD_DIR) {
  if (!built.has(outDir)) {
    built.set(outDir, (async () => {
      mkdirSync(join(ROOT, "dist"), { recursive: true }); // [assets].directory must exist for wrangler
      rmSync(outDir, { recursive: true, force: true });
      await runCommand(join(ROOT, "node_modules", ".bin", "wrangler"), ["deploy", "--dry-run", "--outdir", outDir]);
      const scriptPath = join(outDir, "index.js");
      if (!existsSync(scriptPath)) throw new Error(`wrangler deploy --dry-run wrote no ${scriptPath}`);
      const { unstable_readConfig } = await import("wrangler");
      const config = unstable_readConfig({ config: join(ROOT, "wrangler.toml") });
      return { scriptPath, config };
    })());
  }
  return built.get(outDir);
}

/** @type {Promise<{ name: string, queries: string[] }[]> | undefined} */
let migrations;

async function readMigrations(dir) {
  migrations ??= (async () => {
    try {
      const { readD1Migrations } = await import("@cloudflare/vitest-pool-workers");
      return await readD1Migrations(dir);
    } catch {
      // Fallback: drizzle's statement breakpoints (trigger bodies contain ';', so never split on it).
      return readdirSync(dir)
        .filter((f) => f.endsWith(".sql"))
        .sort()
        .map((name) => ({
          name,
          queries: readFileSync(join(dir, name), "utf8")
            .split("--> statement-breakpoint")
            .map((q) => q.trim())
            .filter(Boolean),
        }));
    }
  })();
  return migrations;
}

/** The modules of a `wrangler deploy --dry-run --outdir` bundle, typed as Miniflare needs them. */
export function bundleModules(dir, scriptPath) {
  const modules = [{ type: "ESModule", path: scriptPath }];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (path === scriptPath || name.endsWith(".map") || name === "README.md") continue;
    modules.push({ type: /(^|-)wasm$|\.wasm$/.test(name) ? "CompiledWasm" : name.endsWith(".mjs") ? "ESModule" : "Text", path });
  }
  return modules;
}

/**
 * Applies the migrations the database has not had yet, recording each in d1_migrations as
 * `wrangler d1 migrations apply` does, so a kept database (npm run preview's) picks up new ones.
 */
export async function applyMigrations(db, dir) {
  await db.prepare(
    "CREATE TABLE IF NOT EXISTS d1_migrations (id INTEGER PRIMARY KEY AUTOINCREMENT, name TEXT UNIQUE, applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL)",
  ).run();
  const { results } = await db.prepare("SELECT name FROM d1_migrations").all();
  const applied = new Set(results.map((r) => r.name));
  for (const m of await readMigrations(dir)) {
    if (applied.has(m.name)) continue;
    await db.batch([...m.queries.map((q) => db.prepare(q)), db.prepare("INSERT INTO d1_migrations (name) VALUES (?)").bind(m.name)]);
  }
}

/**
 * Starts the built worker in workerd through Miniflare, on 127.0.0.1 and a free port, with D1 (in a temp
 * dir unless `persistDir` is given), the JOBS queue and its consumer, the [[ratelimits]] bindings, [vars],
 * ADMIN_TOKEN "bench-token", SESSION_SECRET, EDGESTAGE_ENV "production" and `bindings`; applies migrations/
 * (unless `migrate` is false). Production, not development: no guest, so every read carries a credential as
 * it does when deployed (sessionCookie() mints a member's), and the worker's refusal of development switches
 * outside development is in force.
 * The same workerd also runs the floor worker at `${url}/__floor/{hello,row}` on the same D1 database.
 * `assets: true` serves dist/ in front of the worker as wrangler.toml's [assets] does (run_worker_first: /api/* and the portal pages worker/portal/ serves).
 *
 * `inspector: true` opens workerd's V8 inspector on a free port (for isolateHeap()). The workers' console output is
 * held back (worker.logs() has the last 200 lines) unless BENCH_DEBUG=1.
 * @param {{ bindings?: Record<string, unknown>, assets?: boolean, persistDir?: string, migrate?: boolean, floor?: boolean, inspector?: boolean }} [options]
 * @returns {Promise<{ url: string, floorURL: string | null, mf: import("miniflare").Miniflare, persistDir: string, dispose: () => Promise<void>, logs: () => string[] }>}
 */
export async function startWorker({ bindings = {}, assets = false, persistDir, migrate = true, floor = true, inspector = false, host = "127.0.0.1", port = 0, buildDir = BUILD_DIR, r2Persist = false, quiet = true } = {}) {
  const { scriptPath, config } = await buildWorker(buildDir);
  const { Miniflare, Log, LogLevel } = await import("miniflare");
  const ownDir = !persistDir;
  /** @type {string[]} */
  const recent = [];
  const keepLines = (stream) => {
    let partial = "";
    stream.setEncoding("utf8");
    stream.on("data", (chunk) => {
      const lines = (partial + chunk).split("\n");
      partial = lines.pop() ?? "";
      recent.push(...lines);
      if (recent.length > 200) recent.splice(0, recent.length - 200);
    });
  };
  const d1Dir = persistDir ?? mkdtempSync(join(tmpdir(), "edgestage-bench-d1-"));
  const d1 = config.d1_databases.find((d) => d.binding === "DB") ?? config.d1_databases[0];
  const databaseId = d1?.database_id ?? "edgestage-bench";

  const queueProducers = Object.fromEntries((config.queues?.producers ?? []).map((p) => [p.binding, { queueName: p.queue }]));
  const queueConsumers = Object.fromEntries(
    (config.queues?.consumers ?? []).map((c) => [
      c.queue,
      // As in wrangler.toml (the default 5 s would make every queued job wait); 1 s when it is not set.
      { maxBatchSize: c.max_batch_size ?? 10, maxBatchTimeout: c.max_batch_timeout ?? 1, maxRetries: c.max_retries ?? 5 },
    ]),
  );
  if (!Object.keys(queueConsumers).length) queueConsumers["edgestage-jobs"] = { maxBatchTimeout: 1 };

  /** @type {any} */
  const main = {
    name: config.name ?? "edgestage",
    // Listed, not located: the bundle imports some modules dynamically, which Miniflare cannot follow.
    // wrangler names the modules its [[rules]] pulled in by content hash: `<hash>-wasm` (CompiledWasm),
    // `<hash>-<name>` (Text: YAML, nunjucks.min.js).
    modulesRoot: buildDir,
    modules: bundleModules(buildDir, scriptPath),
    compatibilityDate: config.compatibility_date,
    compatibilityFlags: config.compatibility_flags ?? [],
    bindings: { ...(config.vars ?? {}), ADMIN_TOKEN, SESSION_SECRET, EDGESTAGE_ENV: "production", ...bindings },
    d1Databases: { DB: databaseId },
    r2Buckets: Object.fromEntries((config.r2_buckets ?? []).map((b) => [b.binding, b.bucket_name ?? b.binding])),
    // As in wrangler.toml: sign-in attempts and writes are limited (the bootstrap admin token is exempt).
    ratelimits: Object.fromEntries((config.ratelimits ?? []).map((r) => [r.name, { simple: r.simple }])),
    queueProducers,
    queueConsumers,
    // Software template tasks run as Workflow instances (worker/scaffolder/workflow.ts).
    workflows: Object.fromEntries((config.workflows ?? []).map((w) => [w.binding, { name: w.name, className: w.class_name }])),
  };
  if (assets && config.assets) {
    const runFirst = config.assets.run_worker_first;
    main.assets = {
      directory: resolve(ROOT, config.assets.directory ?? "dist"),
      binding: config.assets.binding,
      routerConfig: {
        has_user_worker: true,
        ...(Array.isArray(runFirst)
          ? { static_routing: { user_worker: runFirst.filter((r) => r.startsWith("/")), asset_worker: runFirst.filter((r) => r.startsWith("!/")).map((r) => r.slice(1)) } }
          : typeof runFirst === "boolean"
            ? { invoke_user_worker_ahead_of_assets: runFirst }
            : {}),
      },
      assetConfig: {
        not_found_handling: config.assets.not_found_handling,
        html_handling: config.assets.html_handling,
        compatibility_date: config.compatibility_date,
        compatibility_flags: config.compatibility_flags ?? [],
      },
    };
  }
  const workers = [main];
  if (floor) {
    workers.push({
      name: "edgestage-bench-floor",
      modules: true,
      scriptPath: fileURLToPath(new URL("./floor-worker.mjs", import.meta.url)),
      compatibilityDate: config.compatibility_date,
      compatibilityFlags: config.compatibility_flags ?? [],
      d1Databases: { DB: databaseId },
      routes: [`*${FLOOR_PREFIX}/*`],
    });
  }

  const mf = new Miniflare({
    host,
    port,
    cf: false,
    d1Persist: d1Dir,
    r2Persist,
    // BENCH_DEBUG=1 shows Miniflare's and workerd's own logging and the workers' console output; otherwise
    // that output is kept (last 200 lines, `logs()`) instead of interleaving with the tables.
    ...(process.env.BENCH_DEBUG
      ? { log: new Log(LogLevel.DEBUG), verbose: true }
      : quiet
        ? { handleRuntimeStdio: (stdout, stderr) => [stdout, stderr].forEach(keepLines) }
        : {}),
    // workerd's V8 inspector on a free port: the bench reads the worker isolate's heap through it (isolateHeap()).
    ...(inspector ? { inspectorPort: 0 } : {}),
    workers,
  });
  let disposed = false;
  const dispose = async () => {
    if (disposed) return;
    disposed = true;
    await mf.dispose();
    if (ownDir) rmSync(d1Dir, { recursive: true, force: true });
  };
  try {
    const ready = await mf.ready;
    const url = ready.href.replace(/\/$/, "");
    if (migrate) await applyMigrations(await mf.getD1Database("DB", main.name), join(ROOT, d1?.migrations_dir ?? "migrations"));
    // A worker that refuses its configuration answers 503 on every API route: say why instead of measuring that.
    const health = await request("GET", `${url}/api/health`, { allowError: true });
    if (health.status !== 200) throw new Error(`the worker answers /api/health with HTTP ${health.status}: ${health.text.slice(0, 500)}`);
    return { url, floorURL: floor ? `${url}${FLOOR_PREFIX}` : null, mf, persistDir: d1Dir, dispose, logs: () => [...recent] };
  } catch (err) {
    await dispose().catch(() => {});
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Sessions: a signed-in member's cookie, minted as worker/identity/session.ts sessionCookie() signs one (the
// same claims, HS256 with SESSION_SECRET; tests/worker/helpers.ts memberSession() does the same in workerd).

const nowSeconds = () => Math.floor(Date.now() / 1000);

/**
 * `Cookie` header value of a session for `user`. `issuedAt` (seconds) back-dates the token: the worker
 * re-resolves a session older than 10 minutes from D1 and issues a new cookie, so a bench that keeps one
 * cookie longer than that measures the refresh path; callers mint a fresh one per section.
 * @param {{ ref: string, ownershipRefs?: string[], hasEntity?: boolean, login?: string, displayName?: string }} user
 * @param {{ issuedAt?: number, ttlSeconds?: number }} [options]
 */
export async function sessionCookie(user, { issuedAt = nowSeconds(), ttlSeconds = 8 * 3600 } = {}) {
  const { SignJWT } = await import("jose");
  const claims = {
    own: user.ownershipRefs ?? [user.ref],
    ent: user.hasEntity ?? false,
    src: "github",
    auth_time: issuedAt,
    ...(user.login ? { login: user.login } : {}),
    ...(user.displayName ? { name: user.displayName } : {}),
  };
  const jwt = await new SignJWT(claims)
    .setProtectedHeader({ alg: "HS256", typ: "JWT" })
    .setSubject(user.ref)
    .setIssuer(SESSION_ISSUER)
    .setAudience(SESSION_AUDIENCE)
    .setIssuedAt(issuedAt)
    .setExpirationTime(issuedAt + ttlSeconds)
    .sign(new TextEncoder().encode(SESSION_SECRET));
  return `${SESSION_COOKIE}=${jwt}`;
}

/**
 * Checks that the worker takes `cookie` as the signed-in `ref` without refreshing it (GET /api/auth/session),
 * so a change in the session format fails the bench instead of measuring 401s or the refresh path.
 */
export async function checkSession(url, cookie, ref) {
  const res = await request("GET", `${url}/api/auth/session`, { headers: { cookie }, allowError: true });
  const body = res.status === 200 ? JSON.parse(res.text) : null;
  if (body?.type !== "user" || body.user?.ref !== ref.toLowerCase()) {
    throw new Error(`the worker does not take the bench's session cookie for ${ref}: HTTP ${res.status} ${res.text.slice(0, 300)}`);
  }
  if (res.headers["set-cookie"]) throw new Error("the worker refreshed the bench's fresh session cookie (expected no Set-Cookie)");
  return body;
}

// ---------------------------------------------------------------------------------------------------------
// HTTP client: node:http with one keep-alive agent (connections are reused across requests and runs).

export const agent = new http.Agent({ keepAlive: true, maxSockets: 64, maxFreeSockets: 64, scheduling: "lifo" });

export class HttpError extends Error {
  constructor(method, url, status, body) {
    super(`${method} ${url} → HTTP ${status}: ${String(body).slice(0, 300)}`);
    this.status = status;
    this.body = body;
  }
}

/**
 * One HTTP request over the keep-alive agent; resolves with the status and the body text.
 * Throws HttpError for a status ≥ 400 unless `allowError` is set.
 * @param {string} method
 * @param {string} url
 * @param {{ body?: string | object, headers?: Record<string, string>, allowError?: boolean }} [options]
 * @returns {Promise<{ status: number, text: string, headers: http.IncomingHttpHeaders }>}
 */
export function request(method, url, { body, headers = {}, allowError = false } = {}, retried = false) {
  const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
  const h = { ...headers };
  if (payload !== undefined) {
    h["content-type"] ??= "application/json";
    h["content-length"] = String(Buffer.byteLength(payload));
  }
  return new Promise((resolvePromise, reject) => {
    const req = http.request(url, { method, agent, headers: h }, (res) => {
      const chunks = [];
      res.on("data", (c) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        const status = res.statusCode ?? 0;
        if (status >= 400 && !allowError) reject(new HttpError(method, url, status, text));
        else resolvePromise({ status, text, headers: res.headers });
      });
      res.on("error", reject);
    });
    req.on("error", (err) => {
      // A keep-alive socket the server closed as this request went out on it (Node's documented race for a
      // reused socket): the server never saw the request, so a GET is sent once more, on a fresh socket.
      if (!retried && method === "GET" && req.reusedSocket && err.code === "ECONNRESET") {
        request(method, url, { body, headers, allowError }, true).then(resolvePromise, reject);
      } else reject(err);
    });
    if (payload !== undefined) req.write(payload);
    req.end();
  });
}

export const get = (url, options) => request("GET", url, options);
export const post = (url, body, options = {}) => request("POST", url, { ...options, body });
export async function getJson(url) {
  return JSON.parse((await get(url)).text);
}
export async function postJson(url, body, options) {
  return JSON.parse((await post(url, body, options)).text);
}

// ---------------------------------------------------------------------------------------------------------
// Measurement.

function percentile(sorted, p) {
  if (!sorted.length) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1];
}

/**
 * Runs `run(i)` for i = 0..requests-1 with `concurrency` calls in flight (closed loop: each slot starts the
 * next call when its previous one ends), after a short warm-up at the same concurrency that is not counted.
 * Latency per call in ms; rps = completed calls / wall time.
 * @param {{ name: string, concurrency: number, requests: number, run: (i: number) => Promise<unknown>, warmup?: number }} spec
 * @returns {Promise<{ name: string, concurrency: number, count: number, p50: number, p95: number, p99: number, rps: number, mean: number, max: number }>}
 */
export async function measure({ name, concurrency, requests, run, warmup }) {
  const warm = warmup ?? Math.min(200, Math.max(concurrency * 4, Math.ceil(requests / 5)));
  const drive = async (count, offset, latencies) => {
    let next = 0;
    const slot = async () => {
      for (;;) {
        const i = next++;
        if (i >= count) return;
        const t0 = performance.now();
        await run(offset + i);
        if (latencies) latencies.push(performance.now() - t0);
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, count) }, slot));
  };
  await drive(warm, requests, null);
  const latencies = [];
  const start = performance.now();
  await drive(requests, 0, latencies);
  const wall = performance.now() - start;
  latencies.sort((a, b) => a - b);
  const round = (v, d = 2) => Math.round(v * 10 ** d) / 10 ** d;
  return {
    name,
    concurrency,
    count: latencies.length,
    p50: round(percentile(latencies, 50)),
    p95: round(percentile(latencies, 95)),
    p99: round(percentile(latencies, 99)),
    mean: round(latencies.reduce((a, b) => a + b, 0) / latencies.length),
    max: round(latencies[latencies.length - 1]),
    rps: round((latencies.length / wall) * 1000, 0),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Output.

/**
 * Prints rows as an aligned table. `columns`: keys, or { key, label?, align?: "left" | "right", format?: (v, row) => string }.
 * Numbers are right-aligned by default. A row with `{ separator: true }` prints a rule.
 * @param {Record<string, unknown>[]} rows
 * @param {(string | { key: string, label?: string, align?: "left" | "right", format?: (v: any, row: any) => string })[]} [columns]
 * @param {(line: string) => void} [out]
 */
export function printTable(rows, columns, out = console.log) {
  const cols = (columns ?? Object.keys(rows.find((r) => !r.separator) ?? {})).map((c) =>
    typeof c === "string" ? { key: c, label: c } : { label: c.key, ...c },
  );
  const cell = (col, row) => {
    const v = row[col.key];
    if (col.format) return col.format(v, row);
    if (v === undefined || v === null) return "";
    if (typeof v === "number") return Number.isFinite(v) ? formatNumber(v) : "n/a";
    return String(v);
  };
  const body = rows.map((row) => (row.separator ? null : cols.map((c) => cell(c, row))));
  const widths = cols.map((c, i) => Math.max(c.label.length, ...body.filter(Boolean).map((r) => r[i].length)));
  const isRight = cols.map((c, i) => c.align ? c.align === "right" : rows.some((r) => !r.separator && typeof r[c.key] === "number") && i > 0);
  const line = (cells) => cells.map((s, i) => (isRight[i] ? s.padStart(widths[i]) : s.padEnd(widths[i]))).join(" | ").trimEnd();
  const rule = widths.map((w) => "-".repeat(w)).join("-|-");
  out(line(cols.map((c) => c.label)));
  out(rule);
  for (const r of body) out(r ? line(r) : rule);
}

/** 1234.5 → "1,235"; 12.34 → "12.3"; 1.234 → "1.23". */
export function formatNumber(v) {
  const abs = Math.abs(v);
  if (Number.isInteger(v) || abs >= 100) return Math.round(v).toLocaleString("en-US");
  if (abs >= 10) return v.toFixed(1);
  return v.toFixed(2);
}

export const ms = (v) =>
  v === undefined || v === null || !Number.isFinite(v) ? "n/a" : `${Math.abs(v) < 10 ? v.toFixed(2) : formatNumber(v)} ms`;

// ---------------------------------------------------------------------------------------------------------
// Memory of the workerd processes this Node process started.

function readStatus(pid) {
  try {
    const text = readFileSync(`/proc/${pid}/status`, "utf8");
    const field = (name) => {
      const m = new RegExp(`^${name}:\\s+(\\d+) kB`, "m").exec(text);
      return m ? Number(m[1]) / 1024 : null;
    };
    const ppid = Number(/^PPid:\s+(\d+)/m.exec(text)?.[1] ?? 0);
    const name = /^Name:\s+(\S+)/m.exec(text)?.[1] ?? "";
    return { pid, ppid, name, rssMB: field("VmRSS"), hwmMB: field("VmHWM") };
  } catch {
    return null;
  }
}

/**
 * Best-effort RSS of the workerd process(es) descended from this Node process (Linux /proc only):
 * { rssMB, peakMB (VmHWM), pids }, or null when none is found (then report "n/a").
 */
export function workerMemory() {
  let entries;
  try {
    entries = readdirSync("/proc").filter((d) => /^\d+$/.test(d));
  } catch {
    return null;
  }
  const procs = new Map();
  for (const d of entries) {
    const s = readStatus(Number(d));
    if (s) procs.set(s.pid, s);
  }
  const descends = (p) => {
    for (let cur = p, hops = 0; cur && hops < 16; hops++) {
      if (cur.ppid === process.pid) return true;
      cur = procs.get(cur.ppid);
    }
    return false;
  };
  const mine = [...procs.values()].filter((p) => p.name.startsWith("workerd") && descends(p) && p.rssMB !== null);
  if (!mine.length) return null;
  const sum = (k) => Math.round(mine.reduce((a, p) => a + (p[k] ?? 0), 0));
  return { rssMB: sum("rssMB"), peakMB: sum("hwmMB"), pids: mine.map((p) => p.pid) };
}

export const formatMemory = (m) => (m ? `${m.rssMB} MB RSS (peak ${m.peakMB} MB)` : "n/a");

/**
 * Best-effort V8 heap of one worker's isolate, read through workerd's inspector (start the worker with
 * `inspector: true`): { usedMB, totalMB } from Runtime.getHeapUsage, or null. This is the memory Workers'
 * 128 MB per-isolate limit is about; workerd's RSS also holds the runtime, other isolates and D1's SQLite.
 * @param {import("miniflare").Miniflare} mf
 * @param {string} [workerName]
 */
export async function isolateHeap(mf, workerName = "edgestage") {
  try {
    const { createRequire } = await import("node:module");
    const WebSocket = createRequire(fileURLToPath(import.meta.resolve("miniflare")))("ws");
    const inspector = await mf.getInspectorURL();
    const targets = JSON.parse((await get(`http://${inspector.host}/json/list`)).text);
    const target = targets.find((t) => t.id === `core:user:${workerName}`);
    if (!target) return null;
    const ws = new WebSocket(target.webSocketDebuggerUrl);
    try {
      await new Promise((ok, fail) => (ws.once("open", ok), ws.once("error", fail)));
      const reply = await new Promise((ok, fail) => {
        const timer = setTimeout(() => fail(new Error("inspector timeout")), 5000);
        ws.on("message", (m) => {
          const j = JSON.parse(String(m));
          if (j.id === 1) (clearTimeout(timer), ok(j));
        });
        ws.send(JSON.stringify({ id: 1, method: "Runtime.getHeapUsage" }));
      });
      const r = reply.result;
      if (!r) return null;
      return { usedMB: Math.round((r.usedSize / 2 ** 20) * 10) / 10, totalMB: Math.round((r.totalSize / 2 ** 20) * 10) / 10 };
    } finally {
      ws.close();
    }
  } catch {
    return null;
  }
}

/** Bytes under a directory (the D1 database files Miniflare persists). */
export function dirBytes(dir) {
  let total = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    total += entry.isDirectory() ? dirBytes(path) : statSync(path).size;
  }
  return total;
}

export const formatHeap = (h) => (h ? `${h.usedMB} MB used (${h.totalMB} MB heap)` : "n/a");
