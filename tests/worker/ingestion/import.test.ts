/** Backfill: POST /api/github/imports for an org or one repo, with progress at GET /api/github/imports/:id. */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { getJson, postJson } from "../helpers";
import { entity, installFakeGithub, yamlComponent, quiesce } from "./github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

async function importAndWait(target: string, timeout = 60_000) {
  const started = await postJson("/api/github/imports", { target });
  expect(started.status).toBe(202);
  const id = started.body.import.id;
  return vi.waitUntil(
    async () => {
      const { body } = await getJson(`/api/github/imports/${id}`);
      return body.import.status !== "running" ? body.import : false;
    },
    { timeout, interval: 50 },
  );
}

describe("imports", () => {
  it("imports a 1,000-file repository in runs of at most 200 files, reporting progress", async () => {
    const files: Record<string, string> = { "README.md": "# big\n" };
    for (let i = 0; i < 1000; i++) files[`services/s${i}/catalog-info.yaml`] = yamlComponent(`big-${i}`);
    const repo = await fake.model.createRepo({ owner: "bigco", name: "monorepo", files });
    const done = await importAndWait("bigco/monorepo");
    expect(done).toMatchObject({ status: "done", target: "bigco/monorepo", listed: true, reposTotal: 1, reposDone: 1, filesTotal: 1000, filesDone: 1000, errors: 0 });
    expect((await entity("component", "big-0")).status).toBe(200);
    expect((await entity("component", "big-999")).status).toBe(200);
    const counts = await getJson("/api/catalog/entities/by-query?filter=kind=component&limit=1");
    expect(counts.body.totalItems).toBeGreaterThanOrEqual(1000);
    const state = (await getJson("/api/github/repos")).body.items.find((r: { id: number }) => r.id === repo.id);
    expect(state.headSha).toBe(repo.branches.get("main"));

    // Importing again reads nothing: every file's blob id is unchanged.
    const before = fake.requests.length;
    const again = await importAndWait("bigco/monorepo");
    expect(again).toMatchObject({ status: "done", filesDone: 0 });
    expect(fake.requests.slice(before).filter((r) => r.path.includes("/contents/"))).toEqual([]);
  });

  it("imports every non-archived repository of an organization, a page at a time", async () => {
    for (let i = 0; i < 120; i++) {
      await fake.model.createRepo({ owner: "manyco", name: `repo-${i}`, files: i % 2 ? { "catalog-info.yaml": yamlComponent(`many-repo-${i}`) } : { "README.md": "no catalog" } });
    }
    await fake.model.createRepo({ owner: "manyco", name: "old", archived: true, files: { "catalog-info.yaml": yamlComponent("archived-one") } });
    const done = await importAndWait("manyco");
    expect(done).toMatchObject({ status: "done", reposTotal: 120, reposDone: 120, filesDone: 60 });
    expect((await entity("component", "many-repo-119")).status).toBe(200);
    expect((await entity("component", "archived-one")).status).toBe(404);
    const list = await getJson("/api/github/imports");
    expect(list.body.items[0]).toMatchObject({ id: done.id });
  });

  it("fails an import of an unknown owner with a message, and rejects bad targets (400) and anonymous callers (401)", async () => {
    expect(await importAndWait("nobody-here")).toMatchObject({ status: "failed", message: "No organization or user named nobody-here on GitHub, or no access to it" });
    expect(await importAndWait("nobody-here/nothing")).toMatchObject({ status: "failed" });
    for (const target of ["", "a/b/c", "-bad", "ok/bad name"]) {
      const res = await postJson("/api/github/imports", { target });
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe("InputError");
    }
    expect((await postJson("/api/github/imports", { target: "manyco" }, {}, "anonymous")).status).toBe(401);
    expect((await getJson("/api/github/imports/nope")).status).toBe(404);
  });
});
