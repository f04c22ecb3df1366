/**
 * Diagnostic (not part of `npm run bench`): polls GET /api/scaffolder/v2/tasks/:id every few milliseconds
 * while template tasks run, in the bench's Miniflare (lib.mjs startWorker) against the fake GitHub, and counts
 * dropped connections ("fetch failed" / "other side closed"), which an earlier session saw at 5–25 ms polling
 * on a loaded machine. The cause was not the route: while fetch:template rendered a skeleton without yielding,
 * the isolate's thread was busy for seconds, and workerd then closed every idle keep-alive connection at once
 * (other routes and the floor worker too), including those whose next request was already waiting. STALL
 * reproduces the loaded machine; `STALL=500/50 EXTRA=/api/health,/__floor/hello` failed ~4 requests per task
 * at the end of the fetch step before fetch:template yielded between files, none after.
 * `node scripts/bench/scaffolder-poll.mjs`, options in the environment:
 *   TASKS (3)   tasks run one after another, the bench's three-step, 50-file template
 *   CONC (1)    pollers per task;  INTERVAL (5) ms between a poller's requests, plus up to JITTER (0) ms
 *   BYNAME (0)  after each task, also poll the new component's by-name at 2 ms, as the bench does
 *   STALL       "on/off" ms: pause workerd with SIGSTOP/SIGCONT in that rhythm (a starved process, no CPU used)
 *   EXTRA       comma-separated paths polled alongside (e.g. /api/health,/__floor/hello)
 * Each task's step times are printed relative to its creation, to line failures up with steps.
 * Exits 1 when a request failed; prints the worker's last log lines.
 */
import { execSync } from "node:child_process";
import { performance } from "node:perf_hooks";
import { startWorker } from "./lib.mjs";
import { skeleton, TEMPLATE } from "./scaffolder.mjs";

const env = (k, d) => Number(process.env[k] ?? d);
const SECRET = "bench-webhook-secret";
const { startFakeGithub } = await import("../../tests/fake-github/server.mjs");
const gh = await startFakeGithub();
const worker = await startWorker({ bindings: { GITHUB_API_URL: gh.url, GITHUB_WEBHOOK_SECRET: SECRET, GITHUB_TOKEN: "", GITHUB_APP_ID: "", GITHUB_APP_PRIVATE_KEY: "", GITHUB_WEB_URL: "", GITHUB_TIMEOUT_MS: "5000" } });
gh.fake.setWebhooks({ url: `${worker.url}/api/github/webhook`, secret: SECRET });
const headers = { authorization: "Bearer bench-token", "content-type": "application/json" };
const json = async (method, path, body) => {
  const res = await fetch(`${worker.url}${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path} answered HTTP ${res.status}: ${text.slice(0, 300)}`);
  return text ? JSON.parse(text) : null;
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let stall;
const pids = execSync(`pgrep -P ${process.pid} -f workerd || true`).toString().trim().split(/\s+/).filter(Boolean).map(Number);
const resume = () => pids.forEach((p) => { try { process.kill(p, "SIGCONT"); } catch {} });
if (process.env.STALL) {
  const [on, off] = process.env.STALL.split("/").map(Number);
  let stopped = false;
  const tick = () => {
    stopped = !stopped;
    pids.forEach((p) => { try { process.kill(p, stopped ? "SIGSTOP" : "SIGCONT"); } catch {} });
    stall = setTimeout(tick, stopped ? on : off);
  };
  tick();
  process.on("exit", resume);
}

let polls = 0;
const failures = [];
const record = (what, t0, e) => failures.push(`${what} at +${Math.round(performance.now() - t0)} ms: ${e.message} ${e.cause?.message ?? e.cause?.code ?? ""}`);
try {
  await gh.fake.model.createRepo({ owner: "bench", name: "templates", files: skeleton() });
  await json("POST", "/api/catalog/ingest", { location: { type: "file", target: "/bench/template.yaml" }, files: [{ target: "/bench/template.yaml", content: JSON.stringify(TEMPLATE) }], roots: ["/bench/template.yaml"], complete: true });
  for (let i = 0; i < env("TASKS", 3); i++) {
    const name = `poll-${process.pid}-${i}`;
    const { id } = await json("POST", "/api/scaffolder/v2/tasks", { templateRef: "template:default/bench-service", values: { name, owner: "group:default/team-bench", description: "x", tags: ["a"], repoUrl: `github.com?owner=bench&repo=${name}` } });
    const t0 = performance.now();
    let status = "";
    const extra = (process.env.EXTRA ?? "").split(",").filter(Boolean).map(async (path) => {
      while (!["completed", "failed", "cancelled"].includes(status)) {
        polls++;
        try { const r = await fetch(`${worker.url}${path}`, { headers }); await r.arrayBuffer(); } catch (e) { record(`GET ${path}`, t0, e); }
        await sleep(env("INTERVAL", 5));
      }
    });
    await Promise.all([...extra, ...Array.from({ length: env("CONC", 1) }, async () => {
      while (!["completed", "failed", "cancelled"].includes(status)) {
        polls++;
        try {
          status = (await json("GET", `/api/scaffolder/v2/tasks/${id}`)).status;
        } catch (e) {
          record("GET /tasks/:id", t0, e);
        }
        if (performance.now() - t0 > 120_000) throw new Error(`task ${id} did not finish in 120 s`);
        await sleep(env("INTERVAL", 5) + Math.random() * env("JITTER", 0));
      }
    })]);
    const task = await json("GET", `/api/scaffolder/v2/tasks/${id}`);
    const at = (iso) => Math.round(Date.parse(iso) - (performance.timeOrigin + t0));
    console.log(`  steps (ms after creation): ${task.steps.map((s) => `${s.id} ${at(s.startedAt)}..${at(s.endedAt)}`).join(", ")}`);
    console.log(`task ${i}: ${status} after ${Math.round(performance.now() - t0)} ms`);
    if (env("BYNAME", 0)) {
      for (;;) {
        polls++;
        try {
          const res = await fetch(`${worker.url}/api/catalog/entities/by-name/component/default/${name}`, { headers });
          await res.arrayBuffer();
          if (res.ok) break;
        } catch (e) {
          record("GET by-name", t0, e);
        }
        if (performance.now() - t0 > 60_000) throw new Error(`${name} never became visible`);
        await sleep(2);
      }
    }
  }
} finally {
  clearTimeout(stall);
  resume();
  console.log(`${polls} requests, ${failures.length} failed${failures.length ? `:\n  ${failures.join("\n  ")}` : ""}`);
  console.log(`worker log (last lines):\n  ${worker.logs().slice(-20).join("\n  ")}`);
  await worker.dispose();
  await gh.close();
}
process.exit(failures.length ? 1 : 0);
