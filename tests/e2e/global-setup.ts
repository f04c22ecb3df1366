/**
 * Starts the real portal for the browser tests: vite build → fresh local D1 (migrations applied) →
 * `wrangler dev` on 127.0.0.1:$EDGESTAGE_E2E_PORT (default 8788) → demo catalog loaded through the ingest
 * CLI. That portal signs everyone in as the development guest. A second one on $EDGESTAGE_E2E_SIGNIN_PORT
 * (default the first port + 1) has the guest switched off (AUTH_GUEST=off) and signs in with GitHub through
 * the fake GitHub (tests/fake-github, on $EDGESTAGE_E2E_GITHUB_PORT or any free port), which also serves
 * the org its imports read. Teardown stops both wrangler process groups (workerd included) and the fake.
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { createWriteStream, mkdirSync, readFileSync, rmSync } from "node:fs";
import { promisify } from "node:util";
import { build } from "vite";
import type { TestProject } from "vitest/node";
import { startFakeGithub } from "../fake-github/server.mjs";
import { E2E_ADMIN_GROUP, E2E_ORG } from "./sign-in";

const run = promisify(execFile);
const PORT = Number(process.env.EDGESTAGE_E2E_PORT ?? 8788);
const SIGNIN_PORT = Number(process.env.EDGESTAGE_E2E_SIGNIN_PORT ?? PORT + 1);
const GITHUB_PORT = Number(process.env.EDGESTAGE_E2E_GITHUB_PORT ?? 0);
const BASE_URL = `http://127.0.0.1:${PORT}`;
const SIGNIN_URL = `http://127.0.0.1:${SIGNIN_PORT}`;
const STATE = ".wrangler/e2e-state";
const SIGNIN_STATE = ".wrangler/e2e-signin-state";
const TOKEN = "e2e-token";
const WEBHOOK_SECRET = "e2e-webhook-secret";
const LOG = "test-results/e2e-wrangler.log";
const SIGNIN_LOG = "test-results/e2e-wrangler-signin.log";
const env = { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1", NO_COLOR: "1" };

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
    /** The portal without the development guest, signing in through the fake GitHub. */
    signInURL: string;
    githubURL: string;
  }
}

async function isUp(base: string): Promise<boolean> {
  try {
    const res = await fetch(`${base}/api/health`, { signal: AbortSignal.timeout(2_000) });
    return res.ok;
  } catch {
    return false;
  }
}

function logTail(log: string): string {
  try {
    return readFileSync(log, "utf8").split("\n").slice(-30).join("\n");
  } catch {
    return "(no log)";
  }
}

async function waitForHealth(child: ChildProcess, base: string, log: string, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`wrangler dev exited with code ${child.exitCode}:\n${logTail(log)}`);
    if (await isUp(base)) return;
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`wrangler dev did not answer ${base}/api/health within ${timeoutMs / 1000}s:\n${logTail(log)}`);
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

/** A fresh local D1 in `state`, then `wrangler dev` on `port` with `vars`, answering /api/health, with the demo catalog loaded. */
async function startPortal(opts: { port: number; state: string; log: string; vars: Record<string, string> }): Promise<ChildProcess> {
  const base = `http://127.0.0.1:${opts.port}`;
  rmSync(opts.state, { recursive: true, force: true });
  await run("node_modules/.bin/wrangler", ["d1", "migrations", "apply", "DB", "--local", "--persist-to", opts.state], { env });
  const log = createWriteStream(opts.log);
  const vars = Object.entries(opts.vars).flatMap(([k, v]) => ["--var", `${k}:${v}`]);
  const child = spawn(
    "node_modules/.bin/wrangler",
    ["dev", "--ip", "127.0.0.1", "--port", String(opts.port), "--persist-to", opts.state, "--show-interactive-dev-session=false", ...vars],
    { detached: true, stdio: ["ignore", "pipe", "pipe"], env },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  try {
    await waitForHealth(child, base, opts.log, 90_000);
    await run("node", ["scripts/catalog-load.mjs", "catalog/demo", "--url", base, "--token", TOKEN], { env });
  } catch (err) {
    await stop(child);
    throw err;
  }
  return child;
}

/** The org the admin area's import test reads: two teams, three people, no name shared with the demo catalog. */
function seedOrg(gh: Awaited<ReturnType<typeof startFakeGithub>>): void {
  const o = gh.fake.model.orgs;
  o.createOrg(E2E_ORG);
  for (const [login, name] of [["peter", "Peter Gibbons"], ["samir", "Samir Nagheenanajar"], ["milton", null]] as const) {
    o.user(login, { name });
    o.addMember(E2E_ORG, login);
  }
  o.createTeam(E2E_ORG, "Accounting");
  o.createTeam(E2E_ORG, "TPS Reports", { parent: "accounting" });
  o.addTeamMember(E2E_ORG, "accounting", "peter");
  o.addTeamMember(E2E_ORG, "tps-reports", "samir");
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  mkdirSync("test-results/screenshots", { recursive: true });
  for (const base of [BASE_URL, SIGNIN_URL]) {
    if (await isUp(base)) throw new Error(`${base} is already serving something; stop it (or set EDGESTAGE_E2E_PORT / EDGESTAGE_E2E_SIGNIN_PORT) before running the e2e tests.`);
  }

  // `npm test` builds once before vitest starts: rebuilding dist/ here would race the worker pool, which
  // reads the same assets directory. Run alone (`vitest run --project e2e`), the setup builds itself.
  if (process.env.EDGESTAGE_PREBUILT !== "1") await build({ configFile: "vite.config.ts", logLevel: "warn" });

  const gh = await startFakeGithub({ port: GITHUB_PORT });
  seedOrg(gh);
  const children: ChildProcess[] = [];
  const stopAll = async () => {
    await Promise.all(children.map(stop));
    await gh.close();
  };
  try {
    // The main portal's GitHub is the fake too (templates publish there; its pushes come back as webhooks).
    gh.fake.setWebhooks({ url: `${BASE_URL}/api/github/webhook`, secret: WEBHOOK_SECRET });
    children.push(
      await startPortal({ port: PORT, state: STATE, log: LOG, vars: { ADMIN_TOKEN: TOKEN, EDGESTAGE_ENV: "development", GITHUB_API_URL: gh.url, GITHUB_WEBHOOK_SECRET: WEBHOOK_SECRET } }),
    );
    children.push(
      await startPortal({
        port: SIGNIN_PORT,
        state: SIGNIN_STATE,
        log: SIGNIN_LOG,
        vars: {
          ADMIN_TOKEN: TOKEN,
          EDGESTAGE_ENV: "development",
          AUTH_GUEST: "off",
          GITHUB_API_URL: gh.url,
          GITHUB_OAUTH_URL: gh.url,
          GITHUB_OAUTH_CLIENT_ID: gh.fake.oauth.client.id,
          GITHUB_OAUTH_CLIENT_SECRET: gh.fake.oauth.client.secret,
          PERMISSION_POLICY: JSON.stringify({ admins: [E2E_ADMIN_GROUP] }),
        },
      }),
    );
  } catch (err) {
    await stopAll();
    throw err;
  }

  project.provide("baseURL", BASE_URL);
  project.provide("signInURL", SIGNIN_URL);
  project.provide("githubURL", gh.url);
  return stopAll;
}
