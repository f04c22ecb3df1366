/**
 * The local fake GitHub for `npm start`: started (detached, logging to .wrangler/fake-github/server.log) when
 * nothing answers on its port, told to deliver push webhooks to the portal, and given the demo templates'
 * repository (brightcart/software-templates, from catalog/demo/templates), so software templates run end to
 * end offline: fetch:template reads the skeleton there, publish:github creates the repository there, and
 * its push webhook brings the new component into the catalog.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";

export const FAKE_GITHUB_URL = "http://127.0.0.1:8790";

async function healthy(url) {
  try {
    return (await fetch(`${url}/_fake/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

function textFiles(dir) {
  /** @type {Record<string, string>} */
  const out = {};
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p).split(sep).join("/")] = readFileSync(p, "utf8");
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

async function control(url, path, body) {
  const res = await fetch(`${url}/_fake/${path}`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify(body) });
  if (!res.ok) throw new Error(`fake GitHub ${path} answered ${res.status}`);
  return res.json();
}

/**
 * @param {{ root: string, portalUrl: string, webhookSecret: string, url?: string }} opts
 * @returns {Promise<{ pid: number | null, url: string }>} pid when this call started it
 */
export async function ensureFakeGithub({ root, portalUrl, webhookSecret, url = FAKE_GITHUB_URL }) {
  let pid = null;
  if (!(await healthy(url))) {
    const reposDir = join(root, ".wrangler", "fake-github", "repos");
    mkdirSync(dirname(reposDir), { recursive: true });
    const logFile = join(dirname(reposDir), "server.log");
    const out = openSync(logFile, "a");
    const child = spawn(process.execPath, [join(root, "tests", "fake-github", "server.mjs"), "--port", new URL(url).port, "--dir", reposDir], { detached: true, stdio: ["ignore", out, out] });
    child.unref();
    pid = child.pid ?? null;
    for (let i = 0; i < 50 && !(await healthy(url)); i++) await new Promise((r) => setTimeout(r, 100));
    if (!(await healthy(url))) throw new Error(`the fake GitHub did not start on ${url}; see ${logFile}`);
  }
  await control(url, "webhooks", { url: `${portalUrl}/api/github/webhook`, secret: webhookSecret });
  await control(url, "repos/brightcart/software-templates/commit", { files: textFiles(join(root, "catalog", "demo", "templates")), message: "Demo templates (npm start)" });
  return { pid, url };
}
