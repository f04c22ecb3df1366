#!/usr/bin/env node
/**
 * `npm run demo:push -- <owner/repo> <file>`: the GitHub flow on your machine, without GitHub. Commits a change
 * to a repo of the local fake GitHub (started in the background when it is not running), sends the signed push
 * webhook GitHub would send to the local portal, and waits until the change is in the catalog.
 */
import { spawn } from "node:child_process";
import { existsSync, mkdirSync, openSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { dump, loadAll } from "js-yaml";
import { sign } from "@octokit/webhooks-methods";
import { DEFAULT_URL, resolveToken } from "./lib/catalog-ingest.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const FAKE_URL = "http://127.0.0.1:8790";
const REPOS_DIR = join(ROOT, ".wrangler", "fake-github", "repos");
const ANNOTATION = "edgestage.dev/demo-pushed-at";

const HELP = `Usage: npm run demo:push -- <owner/repo> <file> [options]

Commits a change to <file> in <owner/repo> on the local fake GitHub and sends the signed
push webhook to the portal, then waits until the catalog shows it.

The fake GitHub serves the folders under .wrangler/fake-github/repos/<owner>/<repo>
(seeded from tests/fixtures/github/repos, e.g. brightcart/loyalty-service). Edit a file
there and run this to push your edit; run it on an unedited file and it stamps the
"${ANNOTATION}" annotation so there is something to see. A file that does not
exist yet is created as a new Component.

The portal must use the fake GitHub: GITHUB_API_URL=${FAKE_URL} in .dev.vars.

Options:
  --url <url>        portal (default ${DEFAULT_URL})
  --github <url>     fake GitHub (default ${FAKE_URL}; started in the background when down)
  --secret <secret>  webhook secret (default: GITHUB_WEBHOOK_SECRET in ./.dev.vars)
  --token <token>    admin token, to follow the delivery (default: ADMIN_TOKEN in ./.dev.vars)
  --pusher <login>   who pushed (default: $USER)
  -h, --help         show this help`;

function devVar(name) {
  try {
    const m = new RegExp(`^\\s*${name}\\s*=\\s*(.*?)\\s*$`, "m").exec(readFileSync(join(process.cwd(), ".dev.vars"), "utf8"));
    return m?.[1].replace(/^(["'])(.*)\1$/, "$2") || undefined;
  } catch {
    return undefined;
  }
}

async function healthy(url) {
  try {
    return (await fetch(`${url}/_fake/health`, { signal: AbortSignal.timeout(1000) })).ok;
  } catch {
    return false;
  }
}

/** Starts tests/fake-github/server.mjs detached, logging to .wrangler/fake-github/server.log. */
async function ensureFakeGithub(url, log) {
  if (await healthy(url)) return;
  const port = new URL(url).port || "80";
  mkdirSync(dirname(REPOS_DIR), { recursive: true });
  const logFile = join(dirname(REPOS_DIR), "server.log");
  const out = openSync(logFile, "a");
  const child = spawn(process.execPath, [join(ROOT, "tests", "fake-github", "server.mjs"), "--port", port, "--dir", REPOS_DIR], {
    detached: true,
    stdio: ["ignore", out, out],
  });
  child.unref();
  for (let i = 0; i < 50 && !(await healthy(url)); i++) await new Promise((r) => setTimeout(r, 100));
  if (!(await healthy(url))) throw new Error(`the fake GitHub did not start on ${url}; see ${logFile}`);
  log(`Started the fake GitHub on ${url} (pid ${child.pid}; log ${logFile}; stop it with: kill ${child.pid})`);
}

/** A visible change: the demo annotation on every entity of the file, restamped on each run. */
export function stamp(text, when) {
  const docs = loadAll(text).filter((d) => d && typeof d === "object");
  for (const d of docs) {
    if (d.metadata && typeof d.metadata === "object") d.metadata.annotations = { ...(d.metadata.annotations ?? {}), [ANNOTATION]: when };
  }
  return docs.map((d) => dump(d, { lineWidth: 120 })).join("---\n");
}

function newComponent(repo, file) {
  // services/billing/catalog-info.yaml → <repo>-billing; tools/cli.yaml → <repo>-cli
  const parts = file.split("/");
  const base = /^catalog-info\.ya?ml$/.test(parts.at(-1)) ? (parts.at(-2) ?? "service") : parts.at(-1).replace(/\.[^.]+$/, "");
  const name = `${repo.split("/")[1]}-${base}`.replace(/[^a-zA-Z0-9]+/g, "-").toLowerCase().slice(0, 63).replace(/^-+|-+$/g, "");
  return `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  description: Created by npm run demo:push\nspec:\n  type: service\n  lifecycle: experimental\n  owner: group:default/team-platform\n`;
}

/**
 * @param {string[]} argv
 * @param {{ out?: (s: string) => void, err?: (s: string) => void, reposDir?: string }} [io]
 */
export async function main(argv, io = {}) {
  const { out = console.log, err = console.error } = io;
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        github: { type: "string" },
        secret: { type: "string" },
        token: { type: "string" },
        pusher: { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    err(`${e.message}\n\n${HELP}`);
    return 1;
  }
  if (args.values.help) return out(HELP), 0;
  const [repo, file] = args.positionals;
  if (args.positionals.length !== 2 || !/^[\w.-]+\/[\w.-]+$/.test(repo) || file.startsWith("/") || file.split("/").includes("..")) {
    err(`Expected <owner/repo> <file>, e.g. brightcart/loyalty-service catalog-info.yaml\n\n${HELP}`);
    return 1;
  }
  const portal = (args.values.url ?? DEFAULT_URL).replace(/\/+$/, "");
  const github = (args.values.github ?? FAKE_URL).replace(/\/+$/, "");
  const secret = args.values.secret ?? process.env.GITHUB_WEBHOOK_SECRET ?? devVar("GITHUB_WEBHOOK_SECRET");
  const token = resolveToken({ token: args.values.token, env: process.env, cwd: process.cwd() });
  const reposDir = io.reposDir ?? REPOS_DIR;
  try {
    await ensureFakeGithub(github, out);
    // STEP 1: the change, in the repo's folder (the fake GitHub's working copy).
    const path = join(reposDir, ...repo.split("/"), ...file.split("/"));
    const rel = `${repo}/${file}`;
    const headRes = await fetch(`${github}/repos/${repo}/contents/${file}`, { headers: { accept: "application/vnd.github.raw" } });
    const committed = headRes.ok ? await headRes.text() : null;
    if (!existsSync(path)) {
      mkdirSync(dirname(path), { recursive: true });
      writeFileSync(path, newComponent(repo, file));
      out(`Created ${rel}`);
    } else if (readFileSync(path, "utf8") === committed) {
      writeFileSync(path, stamp(committed, new Date().toISOString()));
      out(`Stamped ${ANNOTATION} in ${rel}`);
    } else {
      out(`Pushing your edit of ${rel}`);
    }
    // STEP 2: commit it on the fake GitHub, which answers with the push webhook body.
    const pusher = args.values.pusher ?? process.env.USER ?? "octocat";
    const commitRes = await fetch(`${github}/_fake/repos/${repo}/commit`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ message: `demo:push ${file}`, pusher }),
    });
    if (!commitRes.ok) throw new Error(`the fake GitHub refused the commit (HTTP ${commitRes.status}); is ${github} the fake GitHub?`);
    const { sha, added, modified, removed, push } = await commitRes.json();
    out(`Committed ${sha.slice(0, 7)} to ${repo} (${[...added.map((p) => `+${p}`), ...modified.map((p) => `~${p}`), ...removed.map((p) => `-${p}`)].join(" ") || "no changes"})`);
    // STEP 3: the webhook, signed as GitHub signs it.
    const body = JSON.stringify(push);
    const delivery = crypto.randomUUID();
    const headers = { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": delivery, "user-agent": "GitHub-Hookshot/demo" };
    if (secret) headers["x-hub-signature-256"] = await sign(secret, body);
    const t0 = performance.now();
    const hook = await fetch(`${portal}/api/github/webhook`, { method: "POST", headers, body });
    const answer = await hook.json().catch(() => ({}));
    if (hook.status !== 202) throw new Error(`the portal answered HTTP ${hook.status}: ${answer?.error?.message ?? answer?.message ?? JSON.stringify(answer)}`);
    out(`Webhook accepted (delivery ${delivery}): ${answer.message}`);
    // STEP 4: follow the delivery until its job settled.
    const auth = token ? { authorization: `Bearer ${token}` } : {};
    for (let i = 0; i < 150; i++) {
      const res = await fetch(`${portal}/api/github/deliveries/${delivery}`, { headers: auth });
      const d = res.ok ? (await res.json()).delivery : null;
      if (!res.ok && res.status !== 404) return out(`(cannot follow the delivery without the admin token: HTTP ${res.status})`), 0;
      if (d?.status === "done") {
        out(`Indexed in ${Math.round(performance.now() - t0)} ms: ${d.detail}`);
        // What went wrong in this commit, if anything (informational: a failure here changes nothing).
        const errors = await fetch(`${portal}/api/catalog/processing-errors?limit=100`)
          .then((r) => (r.ok ? r.json() : {}))
          .catch(() => ({}));
        for (const e of (Array.isArray(errors.items) ? errors.items : []).filter((e) => e.commitSha === sha).slice(0, 10)) {
          out(`  ${e.location.replace(/^url:.*?\/(?:blob|tree)\/[^/]+\//, "")}${e.line ? `:${e.line}` : ""} ${e.name}: ${e.message}`);
        }
        out(`See ${portal}/api/catalog/changes?limit=5 or the portal at ${portal}/catalog`);
        return 0;
      }
      if (d?.status === "dead" || d?.status === "failed") {
        err(`The push failed: ${d.detail}`);
        if (/unreachable|HTTP 40[13]|api\.github\.com/.test(d.detail ?? "")) err(`Does the portal use the fake GitHub? Set GITHUB_API_URL=${github} in .dev.vars and restart npm start.`);
        return 1;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    err("The push was not processed within 15 s; is the portal's queue consumer running?");
    return 1;
  } catch (e) {
    err(`demo:push failed: ${e.cause?.message ?? e.message}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
