/**
 * A late or replayed delivery never re-keys or regresses a repo: the identity in a payload (owner, name,
 * default branch) is taken only when it matches what is stored or GitHub confirms it, a push to a branch
 * that stopped being the default is skipped, and a repo removed as archived stays removed.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson } from "../helpers";
import { createRepo, deliver, entity, installFakeGithub, push, pushBody, quiesce, settled, yamlComponent } from "../ingestion/github-helpers";
import { repositoryPayload } from "../../fake-github/payloads.mjs";
import renamedTemplate from "../../fixtures/github/repository-renamed.json";
import type { FakeGithub } from "../../fake-github/app.mjs";
import type { FakeRepo } from "../../fake-github/model.mjs";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

const full = (r: FakeRepo) => `${r.owner}/${r.name}`;
const managedBy = async (name: string) => (await entity("component", name)).body?.metadata?.annotations?.["backstage.io/managed-by-location"];
const repoRow = async (r: FakeRepo) => (await getJson("/api/github/repos")).body.items.find((x: { id: number }) => x.id === r.id);
const redeliver = async (event: string, payload: unknown) => settled((await deliver(event, payload)).id);

describe("late and replayed deliveries", () => {
  it("a push from before a rename, delivered after it, neither moves the repo back nor rewinds it", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("rekey-push", { description: "v0" }) });
    const { result: c1 } = await push(fake, repo, { "catalog-info.yaml": yamlComponent("rekey-push", { description: "v1" }) });
    const late = pushBody(repo, [c1]);
    await push(fake, repo, { "catalog-info.yaml": yamlComponent("rekey-push", { description: "v2" }) });
    const oldName = repo.name;
    fake.model.rename(full(repo), `${oldName}-new`);
    await redeliver("repository", repositoryPayload(renamedTemplate, "renamed", repo, { repository: { name: { from: oldName } } }));
    const moved = `url:https://github.com/${repo.owner}/${oldName}-new/blob/main/catalog-info.yaml`;
    expect(await managedBy("rekey-push")).toBe(moved);
    const head = (await repoRow(repo)).headSha;

    const status = await redeliver("push", late);
    expect(status).toMatchObject({ status: "done", detail: expect.stringMatching(/^skipped: stale/) });
    expect(await managedBy("rekey-push")).toBe(moved);
    expect((await entity("component", "rekey-push")).body.metadata.description).toBe("v2");
    expect(await repoRow(repo)).toMatchObject({ name: `${oldName}-new`, status: "active", headSha: head });
  });

  it("a replayed rename event from an earlier rename keeps the current name", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("rekey-rename") });
    await push(fake, repo, { "README.md": "index\n" });
    const first = repo.name;
    fake.model.rename(full(repo), `${first}-b`);
    const toB = repositoryPayload(renamedTemplate, "renamed", repo, { repository: { name: { from: first } } });
    await redeliver("repository", toB);
    fake.model.rename(full(repo), `${first}-c`);
    await redeliver("repository", repositoryPayload(renamedTemplate, "renamed", repo, { repository: { name: { from: `${first}-b` } } }));
    const current = `url:https://github.com/${repo.owner}/${first}-c/blob/main/catalog-info.yaml`;
    expect(await managedBy("rekey-rename")).toBe(current);

    await redeliver("repository", toB);
    expect(await managedBy("rekey-rename")).toBe(current);
    expect(await repoRow(repo)).toMatchObject({ name: `${first}-c`, status: "active" });
  });

  it("a late push to the old default branch is skipped after the default branch changed", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("rekey-branch", { description: "main" }) });
    await push(fake, repo, { "README.md": "index\n" });
    const onMain = await fake.model.commit(full(repo), { files: { "catalog-info.yaml": yamlComponent("rekey-branch", { description: "late main" }) } });
    const late = pushBody(repo, [onMain]);
    await fake.model.commit(full(repo), { branch: "trunk", files: { "catalog-info.yaml": yamlComponent("rekey-branch", { description: "trunk" }) } });
    fake.model.setDefaultBranch(full(repo), "trunk");
    await redeliver("repository", repositoryPayload(renamedTemplate, "edited", repo, { default_branch: { from: "main" } }));
    expect((await entity("component", "rekey-branch")).body.metadata.description).toBe("trunk");

    const status = await redeliver("push", late);
    expect(status.detail).toContain("main is no longer the default branch (trunk is)");
    expect((await entity("component", "rekey-branch")).body.metadata.description).toBe("trunk");
    expect(await managedBy("rekey-branch")).toBe(`url:https://github.com/${repo.owner}/${repo.name}/blob/trunk/catalog-info.yaml`);
    expect(await repoRow(repo)).toMatchObject({ defaultBranch: "trunk" });
  });

  it("a late push for an archived repo does not bring it back", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("rekey-archived") });
    const { result } = await push(fake, repo, { "README.md": "index\n" });
    const late = pushBody(repo, [result]);
    fake.model.archive(full(repo));
    await redeliver("repository", repositoryPayload(renamedTemplate, "archived", repo));
    expect((await entity("component", "rekey-archived")).status).toBe(404);

    const status = await redeliver("push", late);
    expect(status.detail).toMatch(/^skipped: .*archived/);
    expect((await entity("component", "rekey-archived")).status).toBe(404);
    expect(await repoRow(repo)).toMatchObject({ status: "archived" });
  });
});
