/**
 * Destructive webhooks are confirmed with GitHub: a signed repository deleted / archived or installation
 * deleted / repositories removed delivery (forged with a leaked secret, or replayed) for a repo GitHub
 * still serves removes nothing; one for a repo that is really gone or archived removes it. No GitHub App
 * here: the worker reads with its own credentials (see destructive-events-app.test.ts for an App).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson } from "../helpers";
import { createRepo, deliver, entity, installFakeGithub, push, quiesce, settled, yamlComponent } from "../ingestion/github-helpers";
import { installationPayload, installationRepositoriesPayload, repositoryPayload } from "../../fake-github/payloads.mjs";
import renamedTemplate from "../../fixtures/github/repository-renamed.json";
import installationTemplate from "../../fixtures/github/installation-deleted.json";
import reposTemplate from "../../fixtures/github/installation_repositories-removed.json";
import type { FakeGithub } from "../../fake-github/app.mjs";
import type { FakeRepo } from "../../fake-github/model.mjs";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

const full = (r: FakeRepo) => `${r.owner}/${r.name}`;
const statusOf = async (name: string) => (await entity("component", name)).status;
const repoRow = async (r: FakeRepo) => (await getJson("/api/github/repos")).body.items.find((x: { id: number }) => x.id === r.id);

async function indexed(name: string, opts: { owner?: string; installationId?: number } = {}) {
  const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent(name) }, opts);
  await push(fake, repo, { "README.md": "index\n" });
  expect(await statusOf(name)).toBe(200);
  return repo;
}

describe("repository deleted or archived", () => {
  it("removes nothing while GitHub still serves the repo, unarchived", async () => {
    const repo = await indexed("still-here");
    for (const action of ["deleted", "archived"]) {
      // The payload claims the repo is gone; GitHub does not agree.
      const claimed = { ...repo, archived: action === "archived" };
      const status = await settled((await deliver("repository", repositoryPayload(renamedTemplate, action, claimed))).id);
      expect(status).toMatchObject({ status: "done", detail: expect.stringContaining("nothing removed") });
      expect(await statusOf("still-here")).toBe(200);
    }
    expect(await repoRow(repo)).toMatchObject({ status: "active", headSha: expect.any(String) });
    // A later push still indexes it.
    await push(fake, repo, { "catalog-info.yaml": yamlComponent("still-here", { description: "pushed" }) });
    expect((await entity("component", "still-here")).body.metadata.description).toBe("pushed");
  });

  it("removes a repo that is really deleted or archived", async () => {
    const deleted = await indexed("really-deleted");
    const archived = await indexed("really-archived");
    fake.model.remove(full(deleted));
    fake.model.archive(full(archived));
    const gone = await settled((await deliver("repository", repositoryPayload(renamedTemplate, "deleted", deleted))).id);
    expect(gone.detail).toContain("its entities were removed");
    await settled((await deliver("repository", repositoryPayload(renamedTemplate, "archived", archived))).id);
    expect(await statusOf("really-deleted")).toBe(404);
    expect(await statusOf("really-archived")).toBe(404);
    expect(await repoRow(deleted)).toMatchObject({ status: "removed" });
    expect(await repoRow(archived)).toMatchObject({ status: "archived" });
  });
});

describe("installation deleted or repositories removed", () => {
  it("keeps the repos the worker still reads, and removes one GitHub no longer serves", async () => {
    const a = await indexed("inst-a", { owner: "inst-org" });
    const b = await indexed("inst-b", { owner: "inst-org" });
    const id = fake.model.createInstallation("inst-org", [full(a), full(b)]);
    await push(fake, a, { "README.md": "with installation\n" });
    await push(fake, b, { "README.md": "with installation\n" });

    const uninstalled = await settled((await deliver("installation", installationPayload(installationTemplate, "deleted", id, [a, b]))).id);
    expect(uninstalled.detail).toContain("removed 0 repo(s)");
    const removed = await settled((await deliver("installation_repositories", installationRepositoriesPayload(reposTemplate, "removed", id, { removed: [a, b] }))).id);
    expect(removed.detail).toContain("removed 0 repo(s)");
    expect(await statusOf("inst-a")).toBe(200);
    expect(await statusOf("inst-b")).toBe(200);

    fake.model.remove(full(a));
    const replayed = await settled((await deliver("installation_repositories", installationRepositoriesPayload(reposTemplate, "removed", id, { removed: [a, b] }))).id);
    expect(replayed.detail).toContain("removed 1 repo(s)");
    expect(await statusOf("inst-a")).toBe(404);
    expect(await statusOf("inst-b")).toBe(200);
  });
});
