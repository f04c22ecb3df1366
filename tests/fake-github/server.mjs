#!/usr/bin/env node
/**
 * @module The fake GitHub as a real HTTP server on 127.0.0.1: app.mjs behind node:http, repos loaded from a
 * folder (one sub-folder per <owner>/<repo>), faults made real (a timeout holds the connection, a truncated
 * answer cuts it mid-body), and control endpoints under /_fake/ for demo:push and the bench:
 *   GET  /_fake/health
 *   POST /_fake/repos/<owner>/<repo>/commit  {files?: {path: content | null}, message?, pusher?}
 *        commits `files`, or else whatever changed in the repo's folder, and answers { push: <push webhook body> }
 *   POST /_fake/faults  {rate, kinds?, seed?, maxPerKey?} or null
 *   POST /_fake/webhooks {url, secret} or null: where ref updates through the API deliver push webhooks
 *   GET  /_fake/stats   request and fault counts
 *
 * CLI: node tests/fake-github/server.mjs [--port 8790] [--dir .wrangler/fake-github/repos] [--seed <folder>]
 *      [--webhook-url http://127.0.0.1:8787/api/github/webhook --webhook-secret <secret>]
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import http from "node:http";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { createFakeGithub } from "./app.mjs";
import { pushPayload } from "./payloads.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = join(HERE, "..", "..");
export const DEFAULT_PORT = 8790;
export const DEFAULT_DIR = join(ROOT, ".wrangler", "fake-github", "repos");
export const SEED_DIR = join(ROOT, "tests", "fixtures", "github", "repos");
const PUSH_TEMPLATE = JSON.parse(readFileSync(join(ROOT, "tests", "fixtures", "github", "push.json"), "utf8"));
const MAX_FILE = 1024 * 1024;

/** Every text file under `dir`, as repo path → content (no .git, nothing over 1 MB). */
function readTree(dir) {
  /** @type {Record<string, string>} */
  const files = {};
  const walk = (d) => {
    for (const name of readdirSync(d)) {
      if (name === ".git") continue;
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.size <= MAX_FILE) files[relative(dir, path).split(sep).join("/")] = readFileSync(path, "utf8");
    }
  };
  walk(dir);
  return files;
}

/**
 * Starts the server. `dir` holds the repos; when it does not exist yet it is seeded from `seed`.
 * @param {{ port?: number, host?: string, dir?: string | null, seed?: string | null, options?: import("./app.mjs").FakeGithubOptions }} [opts]
 */
export async function startFakeGithub({ port = 0, host = "127.0.0.1", dir = null, seed = null, options = {} } = {}) {
  const fake = createFakeGithub({ pushTemplate: PUSH_TEMPLATE, ...options });
  if (dir) {
    if (!existsSync(dir) && seed && existsSync(seed)) {
      mkdirSync(dirname(dir), { recursive: true });
      cpSync(seed, dir, { recursive: true });
    }
    if (existsSync(dir)) {
      for (const owner of readdirSync(dir).filter((o) => statSync(join(dir, o)).isDirectory())) {
        for (const name of readdirSync(join(dir, owner)).filter((n) => statSync(join(dir, owner, n)).isDirectory())) {
          await fake.model.createRepo({ owner, name, files: readTree(join(dir, owner, name)) });
        }
      }
    }
  }

  /** Commits the given files, or the folder's differences from the branch head (like `git add -A && git commit`). */
  async function commitRepo(owner, name, { files, message, pusher } = {}) {
    let r = fake.model.findRepo(owner, name);
    const folder = dir ? join(dir, owner, name) : null;
    if (!r) r = await fake.model.createRepo({ owner, name, files: {} });
    let changes = files;
    if (changes && folder) {
      for (const [path, content] of Object.entries(changes)) {
        const target = join(folder, ...path.split("/"));
        if (content === null) rmSync(target, { force: true });
        else (mkdirSync(dirname(target), { recursive: true }), writeFileSync(target, content));
      }
    }
    if (!changes) {
      const current = folder && existsSync(folder) ? readTree(folder) : {};
      const head = fake.model.commits.get(r.branches.get(r.defaultBranch));
      changes = {};
      for (const [path, content] of Object.entries(current)) {
        if (fake.model.blobs.get(head?.files.get(path) ?? "") !== content) changes[path] = content;
      }
      for (const path of head?.files.keys() ?? []) if (!(path in current)) changes[path] = null;
    }
    const author = pusher ? { name: pusher, email: `${pusher}@example.com`, login: pusher } : undefined;
    const result = await fake.model.commit(`${r.owner}/${r.name}`, { files: changes, message, author });
    return { result, push: pushPayload(PUSH_TEMPLATE, { repo: r, commits: [result], pusher, webUrl: fake.webUrl }) };
  }

  async function control(req, url, body) {
    const m = url.pathname.match(/^\/_fake\/repos\/([^/]+)\/([^/]+)\/commit$/);
    if (req.method === "POST" && m) {
      const { result, push } = await commitRepo(m[1], m[2], body ?? {});
      return { sha: result.after, added: result.added, modified: result.modified, removed: result.removed, push };
    }
    if (url.pathname.startsWith("/_fake/oauth/")) return fake.oauth.control(req.method, url.pathname, body);
    if (req.method === "POST" && url.pathname === "/_fake/faults") return fake.setFaults(body), { faults: body };
    if (req.method === "POST" && url.pathname === "/_fake/webhooks") return fake.setWebhooks(body?.url ? { url: body.url, secret: String(body.secret ?? "") } : null), { webhooks: body?.url ?? null };
    if (url.pathname === "/_fake/deliveries") return { deliveries: fake.deliveries.slice(-100) };
    if (url.pathname === "/_fake/stats") return { requests: fake.requests.length, faults: fake.requests.filter((r) => r.fault).length, repos: fake.model.repos.size };
    if (url.pathname === "/_fake/health") return { status: "ok" };
    return undefined;
  }

  const server = http.createServer(async (req, res) => {
    const chunks = [];
    for await (const c of req) chunks.push(c);
    const body = Buffer.concat(chunks);
    const url = new URL(req.url ?? "/", `http://${req.headers.host ?? host}`);
    try {
      if (url.pathname.startsWith("/_fake/")) {
        const answer = await control(req, url, body.length ? JSON.parse(body.toString("utf8")) : undefined);
        res.writeHead(answer ? 200 : 404, { "content-type": "application/json" });
        return res.end(JSON.stringify(answer ?? { message: "Not Found" }));
      }
      const headers = new Headers();
      for (const [k, v] of Object.entries(req.headers)) if (typeof v === "string") headers.set(k, v);
      const answer = await fake.fetch(new Request(url, { method: req.method, headers, body: body.length ? body : undefined }));
      const fault = answer.headers.get("x-fake-fault");
      if (fault === "timeout") {
        // Hold the connection until the client gives up.
        const timer = setTimeout(() => res.destroy(), 120_000);
        res.on("close", () => clearTimeout(timer));
        return;
      }
      const text = Buffer.from(await answer.arrayBuffer());
      const out = {};
      answer.headers.forEach((v, k) => k !== "x-fake-fault" && k !== "content-length" && (out[k] = v));
      res.writeHead(answer.status, { ...out, "content-length": String(text.length) });
      if (fault === "truncate") {
        res.write(text.subarray(0, Math.floor(text.length / 2)));
        return setTimeout(() => res.destroy(), 5);
      }
      res.end(text);
    } catch (err) {
      res.writeHead(500, { "content-type": "application/json" });
      res.end(JSON.stringify({ message: `fake GitHub failed: ${err?.message ?? err}` }));
    }
  });
  await new Promise((ok, fail) => (server.once("error", fail), server.listen(port, host, ok)));
  const address = server.address();
  const url = `http://${host}:${typeof address === "object" && address ? address.port : port}`;
  return {
    url,
    fake,
    commitRepo,
    close: () => new Promise((ok) => (server.closeAllConnections?.(), server.close(() => ok(undefined)))),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { values } = parseArgs({ options: { port: { type: "string" }, dir: { type: "string" }, seed: { type: "string" }, "webhook-url": { type: "string" }, "webhook-secret": { type: "string" } } });
  const started = await startFakeGithub({
    port: values.port ? Number(values.port) : DEFAULT_PORT,
    dir: values.dir ?? DEFAULT_DIR,
    seed: values.seed ?? SEED_DIR,
    options: values["webhook-url"] ? { webhooks: { url: values["webhook-url"], secret: values["webhook-secret"] ?? "" } } : {},
  });
  console.log(`fake GitHub on ${started.url} serving ${started.fake.model.repos.size} repo(s) from ${values.dir ?? DEFAULT_DIR}`);
  const stop = () => started.close().then(() => process.exit(0));
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}
