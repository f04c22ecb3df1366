#!/usr/bin/env node
/**
 * `npm start`: a working local portal from a fresh clone, offline and without a Cloudflare account.
 * build → .dev.vars → D1 migrations → `wrangler dev` → wait for /api/health → load catalog/demo → run until Ctrl-C.
 * Every step is idempotent, so running it again just restarts the portal and reports the demo as unchanged.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { LoadError, formatReport, formatSummary, loadCatalog, readDevVarsToken } from "./lib/catalog-ingest.mjs";
import { formatDocsReport } from "./lib/techdocs-upload.mjs";
import { ensureFakeGithub } from "./lib/fake-github.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HOST = "127.0.0.1";
const PORT = 8787;
const URL_BASE = `http://${HOST}:${PORT}`;
const HEALTH_TIMEOUT_MS = 60_000;
const bin = (/** @type {string} */ name) => join(ROOT, "node_modules", ".bin", name);
// CI=true keeps wrangler non-interactive (migrations auto-confirm); no telemetry prompt or upload.
const childEnv = { ...process.env, CI: "true", WRANGLER_SEND_METRICS: "false" };
/** @type {number | undefined} the wrangler dev process group, stopped on every way out */
let devPid;
/** @type {number | undefined} the fake GitHub, when this run started it */
let fakeGithubPid;

/** @param {string} message */
const step = (message) => console.log(`\n▶ ${message}`);

/** Runs a command to completion with inherited output; a failure ends `npm start`. */
function run(/** @type {string} */ command, /** @type {string[]} */ args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: childEnv, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) =>
      code === 0 ? resolvePromise(undefined) : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`)),
    );
  });
}

/** The web app may not exist yet (it is built separately); wrangler only needs dist/ to be there. */
async function buildWeb() {
  if (existsSync(join(ROOT, "web", "index.html"))) {
    step("Building the web app (vite build)");
    await run(bin("vite"), ["build"]);
  } else {
    console.log("\n▶ No web/index.html yet: serving the API only");
  }
  mkdirSync(join(ROOT, "dist"), { recursive: true });
}

/** Sets `NAME=value` in .dev.vars text: replaces an empty or example line, or appends one. */
function withVar(/** @type {string} */ text, /** @type {string} */ name, /** @type {string} */ value) {
  const line = new RegExp(`^${name}=.*$`, "m");
  return line.test(text) ? text.replace(line, `${name}=${value}`) : `${text.trimEnd()}\n${name}=${value}\n`;
}

/**
 * Writes .dev.vars from the example on first run, with a fresh ADMIN_TOKEN and SESSION_SECRET instead of
 * the example's; an older .dev.vars without a SESSION_SECRET gets one added (sessions then survive restarts).
 */
function ensureDevVars() {
  const path = join(ROOT, ".dev.vars");
  const secret = () => randomBytes(32).toString("base64url");
  if (!existsSync(path)) {
    const examplePath = join(ROOT, ".dev.vars.example");
    const example = existsSync(examplePath) ? readFileSync(examplePath, "utf8") : "";
    let text = example.replace(/^#.*Copy to \.dev\.vars.*\n/m, "");
    text = withVar(withVar(text, "ADMIN_TOKEN", randomBytes(24).toString("base64url")), "SESSION_SECRET", secret());
    writeFileSync(path, `# Written by npm start from .dev.vars.example; ADMIN_TOKEN and SESSION_SECRET are random.\n${text.replace(/^\n+/, "")}`, { mode: 0o600 });
    console.log("\n▶ Wrote .dev.vars with a random ADMIN_TOKEN and SESSION_SECRET");
  } else if (!/^SESSION_SECRET=\S{32,}/m.test(readFileSync(path, "utf8"))) {
    writeFileSync(path, withVar(readFileSync(path, "utf8"), "SESSION_SECRET", secret()), { mode: 0o600 });
    console.log("\n▶ Added a random SESSION_SECRET to .dev.vars");
  }
  const token = readDevVarsToken(path);
  if (!token) throw new Error(".dev.vars has no ADMIN_TOKEN line; add one or delete the file to have it regenerated");
  return token;
}

/** True when something already listens on the port (another `npm start`, or a stray `wrangler dev`). */
function portInUse() {
  return new Promise((resolvePromise) => {
    const socket = connect({ host: HOST, port: PORT });
    socket.once("connect", () => (socket.destroy(), resolvePromise(true)));
    socket.once("error", () => resolvePromise(false));
  });
}

/** @param {() => boolean} exited */
async function waitForHealth(exited) {
  const deadline = Date.now() + HEALTH_TIMEOUT_MS;
  while (Date.now() < deadline && !exited()) {
    try {
      const res = await fetch(`${URL_BASE}/api/health`, { signal: AbortSignal.timeout(2000) });
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(exited() ? "wrangler dev exited before the portal became healthy" : `no answer from ${URL_BASE}/api/health after ${HEALTH_TIMEOUT_MS / 1000} s`);
}

async function main() {
  await buildWeb();
  const token = ensureDevVars();

  step("Applying D1 migrations (local)");
  await run(bin("wrangler"), ["d1", "migrations", "apply", "DB", "--local"]);

  if (await portInUse()) throw new Error(`${HOST}:${PORT} is already in use: is another npm start (or wrangler dev) running?`);

  step(`Starting wrangler dev on ${URL_BASE}`);
  // detached: wrangler and its workerd get their own process group, so one kill(-pid) stops both,
  // and Ctrl-C reaches only us; we forward it and exit once the group is gone.
  const dev = spawn(bin("wrangler"), ["dev", "--ip", HOST, "--port", String(PORT), "--show-interactive-dev-session=false"], {
    cwd: ROOT,
    env: childEnv,
    stdio: "inherit",
    detached: true,
  });
  devPid = dev.pid;
  let exited = false;
  let stopping = false;
  dev.on("exit", (code, signal) => {
    exited = true;
    if (!stopping) console.error(`\nwrangler dev exited (${signal ?? `code ${code}`})`);
    process.exit(stopping ? 0 : (code ?? 1));
  });
  const stop = (/** @type {NodeJS.Signals} */ signal) => {
    if (exited) process.exit(0);
    if (stopping) return;
    stopping = true;
    console.log(`\nStopping Edgestage (${signal})…`);
    killGroup(devPid, signal);
    killGroup(fakeGithubPid, signal);
    // workerd normally exits within a second; do not leave it running if it hangs.
    setTimeout(() => killGroup(devPid, "SIGKILL"), 5000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));

  await waitForHealth(() => exited);

  step("Loading the demo catalog (catalog/demo)");
  let summary = "demo catalog not loaded";
  try {
    const result = await loadCatalog({ path: join(ROOT, "catalog", "demo"), url: URL_BASE, token });
    console.log(formatReport(result.responses, { cwd: ROOT }));
    if (result.docs.length) console.log(formatDocsReport(result.docs));
    summary = `demo catalog: ${formatSummary(result.summary)}`;
  } catch (err) {
    // The portal still works without the demo data, so this is a warning, not a reason to stop.
    console.error(`Could not load the demo catalog: ${err instanceof LoadError ? err.message : err}`);
  }

  // Software templates publish to the fake GitHub (GITHUB_API_URL in .dev.vars) and its push webhooks come back here.
  let fakeGithub = "fake GitHub not started";
  try {
    const devVars = readFileSync(join(ROOT, ".dev.vars"), "utf8");
    const secret = /^GITHUB_WEBHOOK_SECRET=(.*)$/m.exec(devVars)?.[1]?.trim() ?? "";
    const fake = await ensureFakeGithub({ root: ROOT, portalUrl: URL_BASE, webhookSecret: secret });
    fakeGithubPid = fake.pid ?? undefined;
    fakeGithub = `fake GitHub: ${fake.url} (software templates publish there)`;
  } catch (err) {
    console.error(`Could not start the fake GitHub: ${err instanceof Error ? err.message : err}`);
  }

  console.log(`\nEdgestage is running at ${URL_BASE}`);
  console.log(`  ${fakeGithub}`);
  console.log(`  ${summary}`);
  console.log("  Press Ctrl-C to stop.");
}

/** @param {number | undefined} pid @param {NodeJS.Signals} signal */
function killGroup(pid, signal) {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // already gone
  }
}

main().catch((err) => {
  console.error(`\nnpm start failed: ${err instanceof Error ? err.message : err}`);
  killGroup(devPid, "SIGTERM");
  killGroup(fakeGithubPid, "SIGTERM");
  process.exit(1);
});
