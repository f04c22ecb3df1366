#!/usr/bin/env node
/**
 * `npm run preview`: the portal as production runs it, locally. Builds the web app (vite build) and the exact
 * bundle `wrangler deploy` uploads (`wrangler deploy --dry-run --outdir`), serves it in workerd through
 * Miniflare's API (no `wrangler dev` proxy in front: the dev proxy roughly triples latency) with local D1
 * (migrations applied), the JOBS queue and its consumer, R2, the rate limiters and dist/ as static assets,
 * loads catalog/demo and runs until Ctrl-C. State is kept in .wrangler/preview (EDGESTAGE_PREVIEW_STATE).
 *
 * Settings: PORT (default 8787), HOST (127.0.0.1); bindings are wrangler.toml's [vars], then .dev.vars (as
 * `wrangler dev` reads it), then these environment variables: EDGESTAGE_ENV, ADMIN_TOKEN, SESSION_SECRET,
 * AUTH_GUEST. Without a .dev.vars, the portal runs as `npm start`'s does (development, the guest signed in)
 * with a random admin token and session secret; EDGESTAGE_ENV=production turns the guest off.
 * EDGESTAGE_PREBUILT=1 skips vite build (dist/ is already built).
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { startWorker } from "./bench/lib.mjs";
import { LoadError, formatReport, formatSummary, loadCatalog } from "./lib/catalog-ingest.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const HOST = process.env.HOST || "127.0.0.1";
const PORT = Number(process.env.PORT || 8787);
const STATE = process.env.EDGESTAGE_PREVIEW_STATE || join(ROOT, ".wrangler", "preview");
const OVERRIDES = ["EDGESTAGE_ENV", "ADMIN_TOKEN", "SESSION_SECRET", "AUTH_GUEST"];

const step = (message) => console.log(`\n▶ ${message}`);

function run(command, args) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, CI: "true" }, stdio: "inherit" });
    child.on("error", reject);
    child.on("exit", (code, signal) => (code === 0 ? resolvePromise(undefined) : reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit ${code}`})`))));
  });
}

/** KEY=value lines of a dotenv file (what wrangler dev reads from .dev.vars); comments and blank lines skipped. */
function readDotenv(path) {
  const vars = {};
  if (!existsSync(path)) return vars;
  for (const line of readFileSync(path, "utf8").split(/\r?\n/)) {
    const m = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(.*)$/.exec(line);
    if (!m) continue;
    let value = m[2].trim();
    if (/^(["']).*\1$/.test(value)) value = value.slice(1, -1);
    vars[m[1]] = value.replace(/\\n/g, "\n");
  }
  return vars;
}

function bindingsFor() {
  const devVars = readDotenv(join(ROOT, ".dev.vars"));
  const bindings = Object.keys(devVars).length
    ? devVars
    : { EDGESTAGE_ENV: "development", AUTH_GUEST: "user:default/guest", ADMIN_TOKEN: randomBytes(24).toString("base64url") };
  bindings.SESSION_SECRET ||= randomBytes(32).toString("base64url");
  for (const name of OVERRIDES) if (process.env[name] !== undefined) bindings[name] = process.env[name];
  // The guest is refused outside development; drop it rather than have the worker refuse to run.
  if (bindings.EDGESTAGE_ENV !== "development") delete bindings.AUTH_GUEST;
  return bindings;
}

async function main() {
  if (process.env.EDGESTAGE_PREBUILT !== "1" && existsSync(join(ROOT, "web", "index.html"))) {
    step("Building the web app (vite build)");
    await run(join(ROOT, "node_modules", ".bin", "vite"), ["build", "--logLevel", "warn"]);
  }
  mkdirSync(join(STATE, "d1"), { recursive: true });
  const bindings = bindingsFor();
  step(`Bundling the worker (wrangler deploy --dry-run) and starting it in workerd on http://${HOST}:${PORT}`);
  const worker = await startWorker({
    bindings,
    assets: true,
    floor: false,
    host: HOST,
    port: PORT,
    persistDir: join(STATE, "d1"),
    r2Persist: join(STATE, "r2"),
    buildDir: join(STATE, "build"),
    quiet: false,
  });
  let stopping = false;
  const stop = async (signal) => {
    if (stopping) return;
    stopping = true;
    console.log(`\nStopping the preview (${signal})…`);
    setTimeout(() => process.exit(0), 5000).unref();
    await worker.dispose().catch(() => {});
    process.exit(0);
  };
  process.on("SIGINT", () => void stop("SIGINT"));
  process.on("SIGTERM", () => void stop("SIGTERM"));

  step("Loading the demo catalog (catalog/demo)");
  let summary = "demo catalog not loaded";
  try {
    const result = await loadCatalog({ path: join(ROOT, "catalog", "demo"), url: worker.url, token: bindings.ADMIN_TOKEN });
    console.log(formatReport(result.responses, { cwd: ROOT }));
    summary = `demo catalog: ${formatSummary(result.summary)}`;
  } catch (err) {
    console.error(`Could not load the demo catalog: ${err instanceof LoadError ? err.message : err}`);
  }
  console.log(`\nEdgestage preview (the deploy bundle in workerd, ${bindings.EDGESTAGE_ENV ?? "production"}) is running at ${worker.url}`);
  console.log(`  ${summary}`);
  console.log("  Press Ctrl-C to stop.");
}

main().catch((err) => {
  console.error(`\nnpm run preview failed: ${err?.stack ?? err}`);
  process.exit(1);
});
