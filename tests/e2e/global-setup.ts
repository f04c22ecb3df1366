/**
 * Starts the real portal for the browser tests: vite build → fresh local D1 (migrations applied) →
 * `wrangler dev` on 127.0.0.1:8788 → demo catalog loaded through the ingest CLI. Teardown stops the
 * wrangler process group (workerd included).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { build } from "vite";
import type { TestProject } from "vitest/node";

const run = promisify(execFile);
const PORT = 8788;
const BASE_URL = `http://127.0.0.1:${PORT}`;
const STATE = ".wrangler/e2e-state";
const TOKEN = "e2e-token";
const LOG = "test-results/e2e-wrangler.log";
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" };

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

async function isUp(): Promise<boolean> {
  try {
    const res = await fetch(`${BASE_URL}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

function logTail(): string {
  try {
    return readFileSync(LOG, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no log)";
  }
}

async function waitForHealth(child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}:\n${logTail()}`);
    if (await isUp()) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`wrangler dev did not answer ${BASE_URL}/api/health within ${timeoutMs / 1000}s:\n${logTail()}`);
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.pid === undefined) return resolve();
    const timer = setTimeout(() => {
      try {
        process.kill(-child.pid!, "SIGKILL");
      } catch {
        // already gone
      }
      resolve();
    }, 5_000);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve();
    });
    try {
      process.kill(-child.pid, "SIGTERM");
    } catch {
      clearTimeout(timer);
      resolve();
    }
  });
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  mkdirSync("test-results/screenshots", { recursive: true });
  if (await isUp()) throw new Error(`Port ${PORT} is already serving something; stop it before running the e2e tests.`);

  // `npm test` builds once before vitest starts: rebuilding dist/ here would race the worker pool, which
  // reads the same assets directory. Run alone (`vitest run --project e2e`), the setup builds itself.
  if (process.env.EDGESTAGE_PREBUILT !== "1") await build({ configFile: "vite.config.ts", logLevel: "warn" });

  rmSync(STATE, { recursive: true, force: true });
  await run("node_modules/.bin/wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", STATE], { env });

  const log = createWriteStream(LOG);
  const child = spawn(
    "node_modules/.bin/wrangler",
    ["dev", "--ip", "127.0.0.1", "--port", String(PORT), "--persist-to", STATE, "--show-interactive-dev-session=false", "--var", `ADMIN_TOKEN:${TOKEN}`, "--var", "EDGESTAGE_ENV:development"],
    { detached: true, stdio: ["ignore", "pipe", "pipe"], env },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);

  try {
    await waitForHealth(child, 90_000);
    await run("node", ["scripts/catalog-load.mjs", "catalog/demo", "--url", BASE_URL, "--token", TOKEN], { env });
  } catch (err) {
    await stop(child);
    throw err;
  }

  project.provide("baseURL", BASE_URL);
  return () => stop(child);
}
