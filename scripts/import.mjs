#!/usr/bin/env node
/**
 * `npm run import -- <org | owner/repo>`: backfill GitHub repos into a running portal, with a progress bar.
 * `npm run import -- --org-data <org>`: backfill an organization's teams and people as Groups and Users.
 */
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { DEFAULT_URL, resolveToken } from "./lib/catalog-ingest.mjs";

const HELP = `Usage: npm run import -- <org | owner/repo> [options]
       npm run import -- --org-data <org> [options]

Asks a running Edgestage to index every non-archived repository of a GitHub organization
or user (or one repository): it lists the repos, finds catalog files with the git trees
API and indexes them (POST /api/github/imports), and shows progress until done.

With --org-data, reads the organization's teams and members instead: teams become Group
entities (nested teams as parent and children), members become User entities with their
public profile. Org webhooks keep them fresh afterwards.

Options:
  --org-data <org> import the teams and people of this organization
  --url <url>      portal (default ${DEFAULT_URL})
  --token <token>  admin token (default: $EDGESTAGE_ADMIN_TOKEN, else ADMIN_TOKEN in ./.dev.vars)
  --timeout <s>    give up waiting after this many seconds (default 600)
  --json           print the final progress as JSON
  -h, --help       show this help

Exit code 0 when the import finished, 1 when it failed or could not start.`;

const WIDTH = 28;

/** "[########------]  51%": a finished import is 100%, a running one at most 99%. */
function bar(p, done, total) {
  const ratio = p.status === "done" ? 1 : total ? Math.min(done / total, 0.99) : 0;
  const filled = Math.round(ratio * WIDTH);
  return `[${"#".repeat(filled)}${"-".repeat(WIDTH - filled)}] ${String(Math.round(ratio * 100)).padStart(3)}%`;
}

/** "[########------]  51% · 512/1000 files · 3/10 repos" */
export function formatProgress(p) {
  const byFiles = p.filesTotal > 0;
  const done = byFiles ? p.filesDone : p.reposDone;
  const total = byFiles ? Math.max(p.filesTotal, p.filesDone) : p.reposTotal;
  const repos = `${p.reposDone}/${p.listed ? p.reposTotal : `${p.reposTotal}+`} repos`;
  return `${bar(p, done, total)} · ${p.filesDone}/${Math.max(p.filesTotal, p.filesDone)} files · ${repos}`;
}

/** An org-data import counts the teams and people it read ("files") in batches ("repos"). */
export function formatOrgProgress(p) {
  const total = Math.max(p.filesTotal, p.filesDone);
  return `${bar(p, p.filesDone, total)} · ${p.filesDone}/${p.listed ? total : "?"} teams and people`;
}

/**
 * @param {string[]} argv
 * @param {{ env?: NodeJS.ProcessEnv, out?: (s: string) => void, err?: (s: string) => void, tty?: boolean, pollMs?: number }} [io]
 * @returns {Promise<number>} exit code
 */
export async function main(argv, io = {}) {
  const { env = process.env, out = console.log, err = console.error } = io;
  const tty = io.tty ?? Boolean(process.stderr.isTTY);
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        url: { type: "string" },
        token: { type: "string" },
        timeout: { type: "string" },
        json: { type: "boolean" },
        "org-data": { type: "string" },
        help: { type: "boolean", short: "h" },
      },
    });
  } catch (e) {
    err(`${e.message}\n\n${HELP}`);
    return 1;
  }
  if (args.values.help) return out(HELP), 0;
  const orgData = args.values["org-data"];
  if (orgData !== undefined ? args.positionals.length !== 0 : args.positionals.length !== 1) {
    err(`Expected one organization, user or owner/repo, or --org-data <org> alone, got ${args.positionals.length} argument(s).\n\n${HELP}`);
    return 1;
  }
  const request = orgData !== undefined ? { target: orgData, orgData: true } : { target: args.positionals[0] };
  const format = orgData !== undefined ? formatOrgProgress : formatProgress;
  const url = (args.values.url ?? DEFAULT_URL).replace(/\/+$/, "");
  const token = resolveToken({ token: args.values.token, env, cwd: process.cwd() });
  const headers = { "content-type": "application/json", ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const deadline = Date.now() + Number(args.values.timeout ?? 600) * 1000;

  let res;
  try {
    res = await fetch(`${url}/api/github/imports`, { method: "POST", headers, body: JSON.stringify(request) });
  } catch (e) {
    err(`Could not reach ${url}: ${e.cause?.message ?? e.message}. Is the portal running (npm start)?`);
    return 1;
  }
  const started = await res.json().catch(() => ({}));
  if (res.status !== 202) {
    err(`Import refused (HTTP ${res.status}): ${started?.error?.message ?? JSON.stringify(started)}`);
    return 1;
  }
  let progress = started.import;
  let lastLine = "";
  const show = (final = false) => {
    const line = format(progress);
    if (tty) process.stderr.write(`\r${line}${final ? "\n" : ""}`);
    else if (line !== lastLine && (final || progress.filesDone % 50 === 0 || progress.reposDone !== 0)) err(line);
    lastLine = line;
  };
  err(`Importing ${orgData !== undefined ? `the teams and people of ${orgData}` : progress.target} (import ${progress.id})`);
  while (progress.status === "running") {
    if (Date.now() > deadline) {
      show(true);
      err(`Still running after ${args.values.timeout ?? 600} s; follow it at ${url}/api/github/imports/${progress.id}`);
      return 1;
    }
    show();
    await new Promise((r) => setTimeout(r, io.pollMs ?? 300));
    const poll = await fetch(`${url}/api/github/imports/${progress.id}`, { headers });
    if (poll.ok) progress = (await poll.json()).import;
  }
  show(true);
  if (args.values.json) out(JSON.stringify(progress, null, 2));
  if (progress.status === "failed") {
    err(`Import failed: ${progress.message}`);
    return 1;
  }
  const seconds = (Date.parse(progress.finishedAt) - Date.parse(progress.startedAt)) / 1000;
  const errors = progress.errors ? ` (see ${url}/api/catalog/processing-errors)` : "";
  if (orgData !== undefined) {
    out(`Imported the teams and people of ${orgData}: ${progress.filesDone} read, ${progress.entities} entities, ${progress.errors} processing error(s) in ${seconds.toFixed(1)} s${errors}`);
    return 0;
  }
  out(
    `Imported ${progress.target}: ${progress.reposDone} repo(s), ${progress.filesDone} catalog file(s) read, ${progress.entities} entities, ` +
      `${progress.errors} processing error(s) in ${seconds.toFixed(1)} s${errors}`,
  );
  return 0;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
