/**
 * The local GitHub flow in Node: the fake GitHub as a real HTTP server (faults made real: a hung connection,
 * a body cut mid-way), `npm run demo:push` and `npm run import` against a stand-in portal on 127.0.0.1.
 */
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { verify } from "@octokit/webhooks-methods";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGithub, SEED_DIR } from "../fake-github/server.mjs";
import { main as demoPush, stamp } from "../../scripts/demo-push.mjs";
import { formatProgress, main as importCli } from "../../scripts/import.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let tmp: string;
let gh: Awaited<ReturnType<typeof startFakeGithub>>;

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "fake-github-"));
  cpSync(SEED_DIR, join(tmp, "repos"), { recursive: true });
  gh = await startFakeGithub({ dir: join(tmp, "repos") });
});
afterAll(async () => {
  await gh.close();
  rmSync(tmp, { recursive: true, force: true });
});

/** A stand-in portal: records what it receives and answers with `answer`. */
async function portal(answer: (method: string, path: string, body: string) => { status: number; body: unknown }) {
  const seen: { method: string; path: string; headers: Record<string, unknown>; body: string }[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = "";
    for await (const c of req) body += c;
    seen.push({ method: req.method!, path: req.url!, headers: req.headers, body });
    const a = answer(req.method!, req.url!, body);
    res.writeHead(a.status, { "content-type": "application/json" });
    res.end(JSON.stringify(a.body));
  });
  await new Promise<void>((ok) => server.listen(0, "127.0.0.1", ok));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise((ok) => server.close(ok)) };
}

describe("fake GitHub server", () => {
  it("serves the repos of its folder through the REST subset", async () => {
    const repo = await (await fetch(`${gh.url}/repos/brightcart/loyalty-service`)).json();
    expect(repo).toMatchObject({ full_name: "brightcart/loyalty-service", default_branch: "main" });
    const tree = await (await fetch(`${gh.url}/repos/brightcart/loyalty-service/git/trees/main?recursive=1`)).status;
    expect(tree).toBe(404); // trees are addressed by sha, as on GitHub
    const head = await (await fetch(`${gh.url}/repos/brightcart/loyalty-service/git/ref/heads/main`)).json();
    const listing = await (await fetch(`${gh.url}/repos/brightcart/loyalty-service/git/trees/${head.object.sha}?recursive=1`)).json();
    expect(listing.tree.map((e: { path: string }) => e.path)).toContain("catalog-info.yaml");
    const raw = await fetch(`${gh.url}/repos/brightcart/loyalty-service/contents/catalog-info.yaml`, { headers: { accept: "application/vnd.github.raw" } });
    expect(await raw.text()).toBe(readFileSync(join(SEED_DIR, "brightcart/loyalty-service/catalog-info.yaml"), "utf8"));
  });

  it("really hangs on a timeout fault and cuts the body on a truncation fault", async () => {
    gh.fake.setFaults({ rate: 1, kinds: ["timeout"], maxPerKey: 1 });
    await expect(fetch(`${gh.url}/repos/brightcart/platform-tools`, { signal: AbortSignal.timeout(300) })).rejects.toMatchObject({ name: "TimeoutError" });
    gh.fake.setFaults({ rate: 1, kinds: ["truncate"], maxPerKey: 1 });
    const cut = await fetch(`${gh.url}/repos/brightcart/platform-tools`);
    await expect(cut.json()).rejects.toThrow();
    // Each call fails at most maxPerKey times, so the retry gets through.
    expect((await fetch(`${gh.url}/repos/brightcart/platform-tools`)).status).toBe(200);
    gh.fake.setFaults(null);
  });
});

describe("npm run demo:push", () => {
  it("commits a stamp on the fake GitHub and sends a correctly signed push webhook", async () => {
    const p = await portal((method, path) =>
      method === "POST" ? { status: 202, body: { status: "accepted", message: "push: 1 possibly relevant file(s) changed" } } : { status: 200, body: { delivery: { status: "done", detail: "indexed" } } },
    );
    const out: string[] = [];
    const code = await demoPush(["brightcart/loyalty-service", "catalog-info.yaml", "--url", p.url, "--github", gh.url, "--secret", "s3cret", "--token", "t"], {
      out: (s) => out.push(s),
      err: (s) => out.push(s),
      reposDir: join(tmp, "repos"),
    });
    await p.close();
    expect(code).toBe(0);
    expect(out.join("\n")).toMatch(/Stamped edgestage\.dev\/demo-pushed-at in brightcart\/loyalty-service\/catalog-info\.yaml/);
    const hook = p.seen.find((s) => s.method === "POST")!;
    expect(hook.path).toBe("/api/github/webhook");
    expect(hook.headers["x-github-event"]).toBe("push");
    expect(await verify("s3cret", hook.body, String(hook.headers["x-hub-signature-256"]))).toBe(true);
    const payload = JSON.parse(hook.body);
    expect(payload).toMatchObject({ ref: "refs/heads/main", repository: { full_name: "brightcart/loyalty-service" }, commits: [{ modified: ["catalog-info.yaml"] }] });
    const head = await (await fetch(`${gh.url}/repos/brightcart/loyalty-service/git/ref/heads/main`)).json();
    expect(payload.after).toBe(head.object.sha);
  });

  it("pushes an edit made in the repo's folder as it is", async () => {
    const path = join(tmp, "repos/brightcart/platform-tools/tools/deploy-cli.yaml");
    writeFileSync(path, readFileSync(path, "utf8").replace("production.", "production, now faster."));
    const p = await portal((method) => (method === "POST" ? { status: 202, body: { message: "ok" } } : { status: 200, body: { delivery: { status: "done", detail: "ok" } } }));
    const out: string[] = [];
    const code = await demoPush(["brightcart/platform-tools", "tools/deploy-cli.yaml", "--url", p.url, "--github", gh.url, "--secret", "x"], { out: (s) => out.push(s), err: (s) => out.push(s), reposDir: join(tmp, "repos") });
    await p.close();
    expect(code).toBe(0);
    expect(out[0]).toBe("Pushing your edit of brightcart/platform-tools/tools/deploy-cli.yaml");
    expect(JSON.parse(p.seen[0].body).commits[0].modified).toEqual(["tools/deploy-cli.yaml"]);
  });

  it("stamps every entity of a multi-document file", () => {
    const out = stamp("kind: A\nmetadata:\n  name: a\n---\nkind: B\nmetadata:\n  name: b\n  annotations:\n    x: z\n", "T");
    expect(out).toContain("edgestage.dev/demo-pushed-at: T");
    expect(out.match(/demo-pushed-at/g)).toHaveLength(2);
    expect(out).toContain("x: z");
  });
});

describe("npm run import", () => {
  it("shows progress until the import is done and prints a summary", async () => {
    let polls = 0;
    const base = { id: "i1", target: "acme", listed: false, reposTotal: 0, reposDone: 0, filesTotal: 0, filesDone: 0, entities: 0, errors: 0, message: null, startedAt: "2026-01-01T00:00:00.000Z", finishedAt: null };
    const p = await portal((method) => {
      if (method === "POST") return { status: 202, body: { import: { ...base, status: "running" } } };
      polls += 1;
      if (polls < 3) return { status: 200, body: { import: { ...base, status: "running", listed: true, reposTotal: 2, reposDone: 1, filesTotal: 10, filesDone: 5 } } };
      return { status: 200, body: { import: { ...base, status: "done", listed: true, reposTotal: 2, reposDone: 2, filesTotal: 10, filesDone: 10, entities: 12, errors: 1, finishedAt: "2026-01-01T00:00:02.500Z" } } };
    });
    const out: string[] = [];
    const err: string[] = [];
    const code = await importCli(["acme", "--url", p.url, "--token", "t"], { out: (s) => out.push(s), err: (s) => err.push(s), tty: false, pollMs: 5 });
    await p.close();
    expect(code).toBe(0);
    expect(p.seen[0]).toMatchObject({ method: "POST", path: "/api/github/imports", body: JSON.stringify({ target: "acme" }) });
    expect(p.seen[0].headers.authorization).toBe("Bearer t");
    expect(err.some((l) => l.includes("[##############--------------]  50% · 5/10 files · 1/2 repos"))).toBe(true);
    expect(err.at(-1)).toContain("100% · 10/10 files · 2/2 repos");
    expect(out[0]).toMatch(/^Imported acme: 2 repo\(s\), 10 catalog file\(s\) read, 12 entities, 1 processing error\(s\) in 2\.5 s/);
  });

  it("exits 1 with the portal's message when the import is refused or fails", async () => {
    const p = await portal(() => ({ status: 400, body: { error: { name: "InputError", message: "Invalid target 'a/b/c'" } } }));
    const err: string[] = [];
    expect(await importCli(["a/b/c", "--url", p.url], { out: () => {}, err: (s) => err.push(s), tty: false })).toBe(1);
    await p.close();
    expect(err[0]).toBe("Import refused (HTTP 400): Invalid target 'a/b/c'");
    expect(formatProgress({ status: "running", listed: false, reposTotal: 3, reposDone: 0, filesTotal: 0, filesDone: 0 })).toContain("0/3+ repos");
  });
});

void REPO;
