/**
 * `npm run preview`: the deploy bundle in workerd through Miniflare, on a port of our choosing, with the demo
 * catalog loaded. Started as a user would (node scripts/preview.mjs), in production identity mode with an
 * admin token, on a fresh state folder.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TOKEN = "preview-test-admin-token";

function sparePort(): Promise<number> {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => ok(port));
    });
  });
}

let child: ChildProcess;
let state: string;
let base: string;
let output = "";

beforeAll(async () => {
  state = mkdtempSync(join(tmpdir(), "edgestage-preview-test-"));
  const port = await sparePort();
  base = `http://127.0.0.1:${port}`;
  child = spawn(process.execPath, [join(REPO, "scripts/preview.mjs")], {
    cwd: REPO,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, PORT: String(port), EDGESTAGE_PREVIEW_STATE: state, EDGESTAGE_ENV: "production", ADMIN_TOKEN: TOKEN },
  });
  child.stdout!.on("data", (d) => (output += d));
  child.stderr!.on("data", (d) => (output += d));
  // Ready once it says so: by then the demo catalog is loaded.
  for (let i = 0; i < 600 && !/is running at/.test(output); i++) {
    if (child.exitCode !== null) throw new Error(`preview exited ${child.exitCode}:\n${output}`);
    await new Promise((r) => setTimeout(r, 250));
  }
  if (!/is running at/.test(output)) throw new Error(`preview did not start:\n${output}`);
}, 170_000);

afterAll(async () => {
  if (child?.pid && child.exitCode === null) {
    const exited = new Promise((r) => child.once("exit", r));
    process.kill(-child.pid, "SIGTERM");
    await exited;
  }
  rmSync(state, { recursive: true, force: true });
});

describe("npm run preview", () => {
  it("answers /api/health on the port it was given", async () => {
    const res = await fetch(`${base}/api/health`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("serves catalog reads of the demo catalog it loaded", async () => {
    const res = await fetch(`${base}/api/catalog/entities/by-name/system/default/storefront`, { headers: { authorization: `Bearer ${TOKEN}` } });
    expect(res.status).toBe(200);
    const entity = await res.json();
    expect(entity).toMatchObject({ kind: "System", metadata: { name: "storefront" } });
    expect(output).toMatch(/0 rejected/);
  });

  it("runs in production mode when asked: no anonymous catalog reads", async () => {
    const res = await fetch(`${base}/api/catalog/entities/by-query?limit=1`);
    expect(res.status).toBe(401);
  });

  it("serves the portal's assets in front of the worker", async () => {
    const res = await fetch(`${base}/catalog`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/text\/html/);
  });
});
