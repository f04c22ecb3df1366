/**
 * `npm run import -- --org-data <org>` end to end in Node: the fake GitHub as a real HTTP server on
 * 127.0.0.1, the worker running in workerd (wrangler's startWorker, a fresh local D1 with the migrations
 * applied) reading the org from it through the queue, and the CLI showing the progress bar until done.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { Miniflare } from "miniflare";
import { unstable_startWorker } from "wrangler";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startFakeGithub } from "../fake-github/server.mjs";
import { formatOrgProgress, main as importCli } from "../../scripts/import.mjs";

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const TOKEN = "org-import-token";
/** wrangler.toml's database_id: the name wrangler dev keeps the local D1 under. */
const DATABASE_ID = readFileSync(join(REPO, "wrangler.toml"), "utf8").match(/database_id = "([^"]+)"/)![1];
let state: string;
let gh: Awaited<ReturnType<typeof startFakeGithub>>;
let worker: Awaited<ReturnType<typeof unstable_startWorker>>;
let portal: string;

/**
 * A fresh local D1 under `dir`, where `wrangler dev --persist-to dir` finds it, with every migration applied
 * by a throwaway worker (Miniflare's async dispatchFetch: its synchronous binding proxies do not run in
 * vitest's workers).
 */
async function migrate(dir: string) {
  const statements = readdirSync(join(REPO, "migrations"))
    .filter((f) => f.endsWith(".sql"))
    .sort()
    .flatMap((f) => readFileSync(join(REPO, "migrations", f), "utf8").split("--> statement-breakpoint"))
    .filter((sql) => sql.trim());
  const mf = new Miniflare({
    modules: true,
    script: "export default { async fetch(req, env) { for (const sql of await req.json()) await env.DB.prepare(sql).run(); return new Response('ok'); } }",
    d1Databases: { DB: DATABASE_ID },
    d1Persist: join(dir, "v3", "d1"),
  });
  try {
    const res = await mf.dispatchFetch("http://migrate/", { method: "POST", body: JSON.stringify(statements) });
    expect(await res.text()).toBe("ok");
  } finally {
    await mf.dispose();
  }
}

beforeAll(async () => {
  gh = await startFakeGithub({});
  const o = gh.fake.model.orgs;
  o.createOrg("Initech");
  for (const [login, name] of [["peter", "Peter Gibbons"], ["samir", "Samir Nagheenanajar"], ["milton", null]] as const) {
    o.user(login, { name });
    o.addMember("Initech", login);
  }
  o.createTeam("Initech", "Engineering");
  o.createTeam("Initech", "TPS Reports", { parent: "engineering" });
  o.addTeamMember("Initech", "engineering", "peter");
  o.addTeamMember("Initech", "tps-reports", "samir");

  state = mkdtempSync(join(tmpdir(), "org-import-"));
  await migrate(state);
  mkdirSync(join(REPO, "dist"), { recursive: true }); // [assets].directory must exist
  worker = await unstable_startWorker({
    config: join(REPO, "wrangler.toml"),
    bindings: { GITHUB_API_URL: { type: "plain_text", value: gh.url }, ADMIN_TOKEN: { type: "plain_text", value: TOKEN } },
    dev: { persist: state, server: { hostname: "127.0.0.1", port: 0 }, inspector: false, watch: false, remote: false, logLevel: "warn" },
  });
  await worker.ready;
  portal = (await worker.url).toString().replace(/\/$/, "");
}, 120_000);

afterAll(async () => {
  await worker?.dispose();
  await gh?.close();
  if (state) rmSync(state, { recursive: true, force: true });
});

describe("npm run import -- --org-data", () => {
  it("imports an org's teams and people from the fake GitHub over HTTP, with a progress bar, and exits 0", async () => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await importCli(["--org-data", "Initech", "--url", portal, "--token", TOKEN], { out: (s) => out.push(s), err: (s) => err.push(s), tty: false, pollMs: 20 });
    expect(code).toBe(0);
    expect(err[0]).toMatch(/^Importing the teams and people of Initech \(import [0-9a-f-]+\)$/);
    expect(err.at(-1)).toBe("[############################] 100% · 5/5 teams and people");
    expect(out[0]).toMatch(/^Imported the teams and people of Initech: 5 read, 5 entities, 0 processing error\(s\) in \d+\.\d s$/);

    const groups = await (await fetch(`${portal}/api/catalog/entities?filter=kind=group`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(groups.map((g: any) => [g.metadata.name, g.spec.parent ?? null, g.spec.children, g.spec.members])).toEqual([
      ["engineering", null, ["tps-reports"], ["peter"]],
      ["tps-reports", "engineering", [], ["samir"]],
    ]);
    const samir = await (await fetch(`${portal}/api/catalog/entities/by-name/user/default/samir`, { headers: { authorization: `Bearer ${TOKEN}` } })).json();
    expect(samir).toMatchObject({ metadata: { annotations: { "github.com/user-login": "samir" } }, spec: { profile: { displayName: "Samir Nagheenanajar" }, memberOf: ["tps-reports"] } });
    // Every read went to the fake GitHub over HTTP: member lists by team id, profiles one by one.
    const paths = gh.fake.requests.map((r) => r.path.replace(/\?.*$/, ""));
    expect(paths).toEqual(expect.arrayContaining(["/orgs/Initech", "/orgs/Initech/teams", "/orgs/Initech/members", "/users/milton"]));
    expect(paths.some((p) => /^\/organizations\/\d+\/team\/\d+\/members$/.test(p))).toBe(true);
  });

  it("exits 1 with the import's message for an org GitHub does not have, and refuses an extra argument", async () => {
    const err: string[] = [];
    expect(await importCli(["--org-data", "no-such-org", "--url", portal, "--token", TOKEN], { out: () => {}, err: (s) => err.push(s), tty: false, pollMs: 20 })).toBe(1);
    expect(err.at(-1)).toBe("Import failed: No organization named no-such-org on GitHub, or no access to it");
    const usage: string[] = [];
    expect(await importCli(["--org-data", "Initech", "extra", "--url", portal], { out: () => {}, err: (s) => usage.push(s), tty: false })).toBe(1);
    expect(usage[0]).toContain("--org-data <org> alone");
    expect(formatOrgProgress({ status: "running", listed: false, filesTotal: 0, filesDone: 0 })).toBe("[----------------------------]   0% · 0/? teams and people");
  });
});
