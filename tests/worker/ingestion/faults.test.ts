/**
 * Fault injection: the same import and pushes run against two identical orgs, one clean and one whose
 * GitHub answers a share of calls with 500s, timeouts, 403/429 rate limits and cut-off bodies. After the
 * retries (inline and through the queue) both catalogs must be identical.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN, api, getJson, postJson } from "../helpers";
import { deliver, installFakeGithub, pushBody, settled, quiesce } from "./github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";

let fake: FakeGithub;
beforeAll(() => {
  // A clock of its own makes commit shas, hence the request keys faults are drawn from, the same on every run.
  let clock = Date.UTC(2026, 0, 1);
  fake = installFakeGithub({ now: () => (clock += 1000) });
});
afterAll(() => quiesce(fake));

const component = (ns: string, name: string, extra = "") =>
  `apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n${extra}spec:\n  type: service\n  lifecycle: production\n  owner: group:${ns}/team\n`;

function files(ns: string): Record<string, Record<string, string>> {
  return {
    alpha: {
      "catalog-info.yaml": `apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: alpha-root\n  namespace: ${ns}\nspec:\n  targets: [./a.yaml, ./b.yaml]\n`,
      "a.yaml": `${component(ns, "a-one")}---\n${component(ns, "a-two")}`,
      "b.yaml": `apiVersion: backstage.io/v1alpha1\nkind: API\nmetadata:\n  name: b-api\n  namespace: ${ns}\nspec:\n  type: openapi\n  lifecycle: production\n  owner: group:${ns}/team\n  definition:\n    $text: ./openapi.yaml\n`,
      "openapi.yaml": "openapi: 3.0.0\ninfo: {title: b, version: '1'}\npaths: {}\n",
    },
    beta: {
      "services/x/catalog-info.yaml": component(ns, "beta-x"),
      "services/y/catalog-info.yml": component(ns, "beta-y", "  description: why\n"),
      "services/z/catalog-info.yaml": `${component(ns, "beta-z")}  broken: [\n`,
    },
    gamma: { "README.md": "no catalog yet\n" },
  };
}

async function waitImport(target: string) {
  const started = await postJson("/api/github/imports", { target });
  return vi.waitUntil(
    async () => {
      const p = (await getJson(`/api/github/imports/${started.body.import.id}`)).body.import;
      return p.status !== "running" ? p : false;
    },
    { timeout: 90_000, interval: 100 },
  );
}

/** Import, then a series of pushes (edit, rename, fix, add, force push, delete), each waited for. */
async function scenario(org: string, ns: string) {
  const initial = files(ns);
  for (const [name, content] of Object.entries(initial)) await fake.model.createRepo({ owner: org, name, files: content });
  expect(await waitImport(org)).toMatchObject({ status: "done", reposDone: 3 });
  const repo = (name: string) => fake.model.repo(`${org}/${name}`);
  const pushes: [string, Record<string, string | null>][] = [
    ["alpha", { "a.yaml": component(ns, "a-one", "  description: edited\n") }],
    ["beta", { "services/x/catalog-info.yaml": null, "services/x2/catalog-info.yaml": component(ns, "beta-x"), "services/z/catalog-info.yaml": component(ns, "beta-z") }],
    ["gamma", { "catalog-info.yaml": component(ns, "gamma-new") }],
    ["alpha", { "openapi.yaml": "openapi: 3.0.0\ninfo: {title: b2, version: '2'}\npaths: {}\n", "b.yaml": initial.alpha["b.yaml"].replace("lifecycle: production", "lifecycle: experimental") }],
    ["beta", { "services/y/catalog-info.yml": null }],
  ];
  const firstAlpha = repo("alpha").branches.get("main")!;
  for (const [name, change] of pushes) {
    const result = await fake.model.commit(`${org}/${name}`, { files: change });
    const status = await settled((await deliver("push", pushBody(repo(name), [result]))).id, 90_000);
    expect(status.status).toBe("done");
  }
  // Force push alpha back to its first commit.
  const { before, after } = fake.model.forcePush(`${org}/alpha`, { sha: firstAlpha });
  const forced = await deliver("push", pushBody(repo("alpha"), [], { before, after, forced: true }));
  expect((await settled(forced.id, 90_000)).status).toBe("done");
}

/** The catalog of one namespace with ids, etags and the org name taken out, so two runs compare. */
async function snapshot(org: string, ns: string) {
  const { body } = await getJson(`/api/catalog/entities/by-query?filter=metadata.namespace=${ns}&limit=500&orderField=metadata.name,asc`);
  const errors = (await getJson("/api/catalog/processing-errors?limit=1000")).body.items.filter((e: { location: string }) => e.location.includes(`/${org}/`));
  const normalize = (v: unknown) =>
    JSON.parse(
      JSON.stringify(v)
        .replaceAll(`/${org}/`, "/ORG/")
        .replaceAll(`${ns}/`, "NS/")
        .replaceAll(`"${ns}"`, '"NS"'),
    );
  const entities = body.items.map((e: { metadata: Record<string, unknown> }) => {
    const { uid: _uid, etag: _etag, ...metadata } = e.metadata;
    return normalize({ ...e, metadata });
  });
  return { entities, errors: errors.map((e: Record<string, unknown>) => normalize({ ...e, createdAt: null, commitSha: null })) };
}

describe("fault injection", () => {
  it("ends with exactly the catalog of a clean run", { timeout: 240_000 }, async () => {
    await scenario("clean-co", "clean");
    const clean = await snapshot("clean-co", "clean");
    expect(clean.entities.map((e: { metadata: { name: string } }) => e.metadata.name)).toEqual(["a-one", "a-two", "alpha-root", "b-api", "beta-x", "beta-z", "gamma-new"]);
    expect(clean.entities.find((e: any) => e.metadata.name === "b-api").spec.definition).toContain("title: b,");

    fake.setFaults({ rate: 0.5, seed: 7, maxPerKey: 1, match: (path) => path.includes("faulty-co") });
    await scenario("faulty-co", "faulty");
    const injected = fake.requests.filter((r) => r.fault);
    // 15 of the faulty run's 58 calls with this clock and seed; the kinds take turns.
    expect(injected.length).toBeGreaterThanOrEqual(8);
    const kinds = new Set(injected.map((r) => r.fault));
    expect([...kinds].sort()).toEqual(["500", "rate-limit", "timeout", "truncate"]);
    fake.setFaults(null);

    expect(await snapshot("faulty-co", "faulty")).toEqual(clean);
    const dead = await api("/api/jobs/dead-letters", { headers: ADMIN });
    expect(((await dead.json()) as { items: { body: unknown }[] }).items.filter((l) => JSON.stringify(l.body).includes("faulty-co"))).toEqual([]);
  });
});
