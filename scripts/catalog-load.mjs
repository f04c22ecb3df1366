#!/usr/bin/env node
/** `npm run catalog:load -- <file or folder>`: push descriptor files from disk into a running portal. */
import { resolve } from "node:path";
import { parseArgs } from "node:util";
import { fileURLToPath } from "node:url";
import { DEFAULT_URL, LoadError, formatReport, loadCatalog, resolveToken } from "./lib/catalog-ingest.mjs";
import { formatDocsReport } from "./lib/techdocs-upload.mjs";

const HELP = `Usage: npm run catalog:load -- <file or folder> [options]

Reads Backstage descriptor files from disk and sends them to a running Edgestage
(POST /api/catalog/ingest). A folder is loaded through its catalog-info.yaml, or,
without one, through every YAML file with top-level apiVersion: and kind: lines.
Every text file below it (yaml, yml, json, graphql, proto, md; up to 2 MB each)
goes along, so Location targets and $text placeholders resolve. Entities with
backstage.io/techdocs-ref: dir:<path> then get that folder's docs uploaded to
TechDocs (mkdocs.yml, Markdown and images).

Options:
  --url <url>      portal to load into (default ${DEFAULT_URL})
  --token <token>  admin token (default: $EDGESTAGE_ADMIN_TOKEN, else ADMIN_TOKEN in ./.dev.vars)
  --json           print the server's raw response (an array when the load was split)
  -h, --help       show this help

Exit code 0 when everything loaded, 1 when anything was rejected or the request failed.`;

/**
 * @param {string[]} argv arguments after the script name
 * @param {{ env?: NodeJS.ProcessEnv, cwd?: string, out?: (s: string) => void, err?: (s: string) => void }} [io]
 * @returns {Promise<number>} exit code
 */
export async function main(argv, io = {}) {
  const { env = process.env, out = console.log, err = console.error } = io;
  // npm runs scripts from the package root; INIT_CWD is where the user typed the command.
  const cwd = io.cwd ?? env.INIT_CWD ?? process.cwd();
  let args;
  try {
    args = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { url: { type: "string" }, token: { type: "string" }, json: { type: "boolean" }, help: { type: "boolean", short: "h" } },
    });
  } catch (e) {
    err(`${/** @type {Error} */ (e).message}\n\n${HELP}`);
    return 1;
  }
  const { values, positionals } = args;
  if (values.help) {
    out(HELP);
    return 0;
  }
  if (positionals.length !== 1) {
    err(`Expected exactly one file or folder, got ${positionals.length}.\n\n${HELP}`);
    return 1;
  }

  const url = values.url ?? DEFAULT_URL;
  const token = resolveToken({ token: values.token, env, cwd: process.cwd() });
  try {
    const { catalog, requests, responses, summary, docs } = await loadCatalog({ path: resolve(cwd, positionals[0]), url, token });
    if (values.json) {
      out(JSON.stringify(responses.length === 1 ? responses[0] : responses, null, 2));
    } else {
      for (const s of catalog.skipped) err(`skipped ${s.target}: ${s.reason}`);
      const split = requests.length > 1 ? ` in ${requests.length} requests` : "";
      out(`Loaded ${positionals[0]} into ${url}${split}:`);
      out(formatReport(responses, { cwd }));
      if (docs.length) out(formatDocsReport(docs));
    }
    return summary.rejected > 0 || docs.some((d) => !d.ok) ? 1 : 0;
  } catch (e) {
    if (values.json && e instanceof LoadError && e.body) out(JSON.stringify(e.body, null, 2));
    const code = /** @type {any} */ (e)?.code;
    const message = code === "ENOENT" ? `No such file or folder: ${positionals[0]}` : /** @type {Error} */ (e).message;
    err(`catalog:load failed: ${message}`);
    return 1;
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exitCode = await main(process.argv.slice(2));
}
