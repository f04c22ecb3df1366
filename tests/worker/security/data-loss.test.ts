/**
 * Nothing valid is lost to a fault. A tree of catalog files (root → Location targets → nested targets, and a
 * placeholder file) is indexed clean; then fast-check picks files and faults (429, 500, 502, timeout, a body
 * cut off, YAML that stops parsing, a file over 4 MB), the same tree is indexed again, and the catalog must
 * equal the clean one, with a processing error for each fault. Once for a registered url location, once for
 * a GitHub repo.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getJson, postJson } from "../helpers";
import { installFakeGithub, quiesce } from "../ingestion/github-helpers";
import type { FakeGithub, FaultKind } from "../../fake-github/app.mjs";
import type { FakeRepo } from "../../fake-github/model.mjs";
import { FAULTS, HOST, installCatalogHost, runJob, type CatalogHost, type Fault } from "./fault-host";

let host: CatalogHost;
let fake: FakeGithub;
beforeAll(() => {
  host = installCatalogHost();
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

/** The tree, by path; `ns` keeps the two runs' entities apart. */
function tree(ns: string): Record<string, string> {
  const meta = (kind: string, name: string) => `apiVersion: backstage.io/v1alpha1\nkind: ${kind}\nmetadata:\n  name: ${name}\n  namespace: ${ns}\n`;
  const component = (name: string) => `${meta("Component", name)}spec:\n  type: service\n  lifecycle: production\n  owner: group:${ns}/team\n`;
  const location = (name: string, targets: string[]) => `${meta("Location", name)}spec:\n  targets: [${targets.join(", ")}]\n`;
  return {
    "root.yaml": `${location("root", ["./teams.yaml", "./apis/index.yaml"])}---\n${component("root-svc")}`,
    "teams.yaml": `${meta("Group", "team")}spec:\n  type: team\n  children: []\n---\n${location("teams", ["./teams/more.yaml"])}`,
    "teams/more.yaml": `${component("more-svc")}---\n${meta("User", "mona")}spec:\n  memberOf: [group:${ns}/team]\n`,
    "apis/index.yaml": `${meta("API", "api")}spec:\n  type: openapi\n  lifecycle: production\n  owner: group:${ns}/team\n  definition:\n    $text: ./openapi.yaml\n---\n${location("apis", ["./extra.yaml"])}`,
    "apis/openapi.yaml": "openapi: 3.0.0\ninfo: {title: loss, version: '1'}\npaths: {}\n",
    "apis/extra.yaml": component("extra-svc"),
  };
}

const PARENT: Record<string, string | null> = {
  "root.yaml": null,
  "teams.yaml": "root.yaml",
  "teams/more.yaml": "teams.yaml",
  "apis/index.yaml": "root.yaml",
  "apis/openapi.yaml": "apis/index.yaml",
  "apis/extra.yaml": "apis/index.yaml",
};
const PATHS = Object.keys(PARENT);
/** A placeholder's failure is recorded on the file that embeds it. */
const errorFileOf = (path: string) => (path === "apis/openapi.yaml" ? "apis/index.yaml" : path);
/** Faults whose file is reached through files that read cleanly; each of them must leave an error. */
function reachedFaults(faults: Map<string, unknown>): string[] {
  const clear = (path: string | null): boolean => path === null || (!faults.has(path) && clear(PARENT[path]));
  return [...faults.keys()].filter((path) => clear(PARENT[path]));
}

/** The namespace's entities as served, without what differs between writes (uid, etag) or reports faults (status). */
async function catalogOf(ns: string) {
  const { status, body } = await getJson(`/api/catalog/entities/by-query?filter=metadata.namespace=${ns}&limit=500&orderField=metadata.name,asc`);
  expect(status).toBe(200);
  return body.items.map(({ status: _status, ...e }: { status?: unknown; metadata: Record<string, unknown> }) => {
    const { uid: _uid, etag: _etag, ...metadata } = e.metadata;
    return { ...e, metadata };
  });
}

const errorsAt = async (key: string) => (await getJson(`/api/catalog/processing-errors?location=${encodeURIComponent(key)}`)).body.items as { name: string; message: string }[];

/** File → fault assignments: one to three files, each with one fault (a $text file has no YAML to break). */
const assignments = fc
  .uniqueArray(fc.tuple(fc.constantFrom(...PATHS), fc.constantFrom(...FAULTS)), { minLength: 1, maxLength: 3, selector: ([path]) => path })
  .filter((list) => list.every(([path, fault]) => !(path === "apis/openapi.yaml" && fault === "unparsable")))
  .map((list) => new Map(list));

describe("a registered url location", () => {
  it("keeps every entity, below a faulty file too, and records each fault", { timeout: 120_000 }, async () => {
    const ns = "urlloss";
    for (const [path, content] of Object.entries(tree(ns))) host.files.set(`/${path}`, content);
    const target = `${HOST}/root.yaml`;
    const locationKey = `url:${target}`;
    expect((await postJson("/api/catalog/locations", { type: "url", target })).status).toBe(201);
    // The registration queued a refresh of its own; let it finish before faults are injected.
    await vi.waitUntil(async () => (await catalogOf(ns)).length === 9, { timeout: 10_000, interval: 50 });
    await vi.waitUntil(
      async () => {
        const seen = host.requests.length;
        await new Promise((r) => setTimeout(r, 200));
        return seen === host.requests.length;
      },
      { timeout: 10_000 },
    );
    expect(await runJob({ type: "refresh-location", locationKey })).toBe(true);
    const clean = await catalogOf(ns);
    expect(clean.map((e: { kind: string; metadata: { name: string } }) => `${e.kind}:${e.metadata.name}`)).toEqual([
      "API:api",
      "Location:apis",
      "Component:extra-svc",
      "User:mona",
      "Component:more-svc",
      "Location:root",
      "Component:root-svc",
      "Group:team",
      "Location:teams",
    ]);

    await fc.assert(
      fc.asyncProperty(assignments, async (faults) => {
        for (const [path, fault] of faults) host.faults.set(`/${path}`, fault);
        expect(await runJob({ type: "refresh-location", locationKey })).toBe(true);
        expect(await catalogOf(ns)).toEqual(clean);
        for (const path of reachedFaults(faults)) {
          expect((await errorsAt(`url:${HOST}/${errorFileOf(path)}`)).length, `${faults.get(path)} on ${path}`).toBeGreaterThan(0);
        }

        host.faults.clear();
        expect(await runJob({ type: "refresh-location", locationKey })).toBe(true);
        expect(await catalogOf(ns)).toEqual(clean);
        for (const path of PATHS) expect(await errorsAt(`url:${HOST}/${path}`)).toEqual([]);
      }),
      { numRuns: 20 },
    );
  });
});

describe("a GitHub repo", () => {
  const ns = "ghloss";
  const files = { ...tree(ns) };
  files["catalog-info.yaml"] = files["root.yaml"];
  delete files["root.yaml"];
  const repoPath = (path: string) => (path === "root.yaml" ? "catalog-info.yaml" : path);
  const TRANSIENT: Partial<Record<Fault, FaultKind>> = { "429": "status:429", "500": "status:500", "502": "status:502", timeout: "timeout", truncate: "truncate" };
  const broken = (fault: Fault, content: string) => (fault === "unparsable" ? `${content}\n  broken: [unclosed\n` : `${content}\n# ${"x".repeat(4 * 1024 * 1024 + 16)}\n`);

  let repo: FakeRepo;
  const sync = (force = false) => runJob({ type: "github-sync", repo: { id: repo.id, owner: repo.owner, name: repo.name }, force, reason: "test" });
  const keyOf = (path: string) => `url:https://github.com/${repo.owner}/${repo.name}/${path === "catalog-info.yaml" ? "blob" : "tree"}/main/${path}`;

  it("retries a transient fault with nothing written, and keeps what a broken or oversize file emitted", { timeout: 180_000 }, async () => {
    repo = await fake.model.createRepo({ owner: "loss-org", name: "tree", files });
    expect(await sync()).toBe(true);
    const clean = await catalogOf(ns);
    expect(clean).toHaveLength(9);
    const full = `${repo.owner}/${repo.name}`;

    await fc.assert(
      fc.asyncProperty(assignments, async (faults) => {
        const transient = [...faults].filter(([, fault]) => TRANSIENT[fault]);
        const permanent = [...faults].filter(([, fault]) => !TRANSIENT[fault]);
        if (transient.length) {
          // Every read of those files fails (the kinds take turns), past the client's own retries: the job is
          // retried and the catalog is untouched.
          const paths = transient.map(([path]) => `/${repo.name}/contents/${repoPath(path)}`);
          fake.setFaults({ rate: 1, kinds: transient.map(([, fault]) => TRANSIENT[fault]!), maxPerKey: 1000, match: (p) => paths.some((end) => p.endsWith(end)) });
          expect(await sync(true)).toBe(false);
          expect(await catalogOf(ns)).toEqual(clean);
          fake.setFaults(null);
        }
        if (permanent.length) {
          await fake.model.commit(full, { files: Object.fromEntries(permanent.map(([path, fault]) => [repoPath(path), broken(fault, files[repoPath(path)])])) });
          expect(await sync()).toBe(true);
          expect(await catalogOf(ns)).toEqual(clean);
          for (const path of reachedFaults(new Map(permanent))) {
            expect((await errorsAt(keyOf(repoPath(errorFileOf(path))))).length, `${faults.get(path)} on ${path}`).toBeGreaterThan(0);
          }
          await fake.model.commit(full, { files: Object.fromEntries(permanent.map(([path]) => [repoPath(path), files[repoPath(path)]])) });
          expect(await sync()).toBe(true);
        }
        expect(await catalogOf(ns)).toEqual(clean);
        for (const path of PATHS) expect(await errorsAt(keyOf(repoPath(path)))).toEqual([]);
      }),
      { numRuns: 8 },
    );
  });
});
