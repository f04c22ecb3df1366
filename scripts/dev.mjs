#!/usr/bin/env node
/**
 * `npm run dev`: the portal with hot reload. Applies local D1 migrations, starts `wrangler dev` (the API,
 * 127.0.0.1:8787) and Vite's dev server for web/ (HMR), which proxies /api to it (vite.config.ts).
 * Ctrl-C stops both.
 */
import { execFile, spawn } from "node:child_process";
import { mkdirSync } from "node:fs";
import { promisify } from "node:util";
import { createServer } from "vite";

const API_PORT = 8787;
const API_URL = `http://127.0.0.1:${API_PORT}`;
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", EDGESTAGE_API_URL: API_URL };
const wranglerBin = "node_modules/.bin/wrangler";

function prefixed(stream, label) {
  let buf = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk) => {
    buf += chunk;
    const lines = buf.split("\n");
    buf = lines.pop() ?? "";
    for (const line of lines) if (line.trim()) process.stdout.write(`${label} ${line}\n`);
  });
}

async function apiUp() {
  try {
    return (await fetch(`${API_URL}/api/health`, { signal: AbortSignal.timeout(1_000) })).ok;
  } catch {
    return false;
  }
}

// wrangler.toml's [assets] directory must exist even though Vite serves the pages in dev.
mkdirSync("dist", { recursive: true });

if (await apiUp()) {
  console.log(`[dev] an API is already answering on ${API_URL}; using it.`);
} else {
  console.log("[dev] applying local D1 migrations…");
  try {
    await promisify(execFile)(wranglerBin, ["d1", "migrations", "apply", "DB", "--local"], { env });
  } catch (err) {
    console.error(`[dev] migrations failed:\n${err.stderr || err.message}`);
    process.exit(1);
  }
}

let wrangler;
if (!(await apiUp())) {
  wrangler = spawn(wranglerBin, ["dev", "--ip", "127.0.0.1", "--port", String(API_PORT), "--show-interactive-dev-session=false"], {
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
    env,
  });
  prefixed(wrangler.stdout, "[api]");
  prefixed(wrangler.stderr, "[api]");
  wrangler.on("exit", (code, signal) => {
    if (shuttingDown) return;
    console.error(`[dev] wrangler dev stopped (${signal ?? `exit ${code}`}); stopping the dev server.`);
    void shutdown(1);
  });
}

const vite = await createServer({ configFile: "vite.config.ts" });
await vite.listen();
vite.printUrls();

// Tell the user when the API is ready (the page works before that, showing connection errors).
void (async () => {
  for (let i = 0; i < 120; i++) {
    if (await apiUp()) {
      console.log(`[dev] API ready on ${API_URL} (proxied at /api). Load the demo catalog with: npm run catalog:load -- catalog/demo`);
      return;
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  console.warn("[dev] the API has not answered /api/health after 60 s; see the [api] lines above.");
})();

let shuttingDown = false;
async function shutdown(code = 0) {
  if (shuttingDown) return;
  shuttingDown = true;
  if (wrangler?.pid && wrangler.exitCode === null) {
    try {
      process.kill(-wrangler.pid, "SIGTERM");
    } catch {
      // already gone
    }
  }
  await vite.close().catch(() => undefined);
  process.exit(code);
}
process.on("SIGINT", () => void shutdown(0));
process.on("SIGTERM", () => void shutdown(0));
