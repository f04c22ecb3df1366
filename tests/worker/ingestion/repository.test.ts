/** repository, installation and installation_repositories events end to end, on real payloads. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, getJson, postJson } from "../helpers";
import { createRepo, deliver, entity, installFakeGithub, push, settled, yamlComponent, quiesce } from "./github-helpers";
import { installationPayload, installationRepositoriesPayload, repositoryPayload } from "../../fake-github/payloads.mjs";
import renamedTemplate from "../../fixtures/github/repository-renamed.json";
import installationTemplate from "../../fixtures/github/installation-created.json";
import reposTemplate from "../../fixtures/github/installation_repositories-added.json";
import type { FakeGithub } from "../../fake-github/app.mjs";
import type { FakeRepo } from "../../fake-github/model.mjs";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

const full = (r: FakeRepo) => `${r.owner}/${r.name}`;
const managedBy = async (name: string) => (await entity("component", name)).body?.metadata?.annotations?.["backstage.io/managed-by-location"];
const repositoryEvent = async (action: string, r: FakeRepo, changes?: unknown) => settled((await deliver("repository", repositoryPayload(renamedTemplate, action, r, changes))).id);

describe("repository events", () => {
  it("re-keys a renamed repository's entities to the new URLs", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("rename-me") });
    await push(fake, repo, { "README.md": "index" });
    const oldName = repo.name;
    fake.model.rename(full(repo), `${oldName}-renamed`);
    expect((await repositoryEvent("renamed", repo, { repository: { name: { from: oldName } } })).status).toBe("done");
    expect(await managedBy("rename-me")).toBe(`url:https://github.com/acme/${oldName}-renamed/blob/main/catalog-info.yaml`);
    const locations = (await getJson("/api/catalog/locations")).body.map((l: { data: { target: string } }) => l.data.target);
    expect(locations).toContain(`https://github.com/acme/${oldName}-renamed/blob/main/catalog-info.yaml`);
    expect(locations).not.toContain(`https://github.com/acme/${oldName}/blob/main/catalog-info.yaml`);
  });

  it("re-keys a transferred repository, and follows a new default branch", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("transfer-me") });
    await push(fake, repo, { "README.md": "index" });
    fake.model.transfer(full(repo), "new-owner");
    await repositoryEvent("transferred", repo, { owner: { from: { user: { login: "acme" } } } });
    expect(await managedBy("transfer-me")).toBe(`url:https://github.com/new-owner/${repo.name}/blob/main/catalog-info.yaml`);

    await fake.model.commit(full(repo), { branch: "trunk", files: { "catalog-info.yaml": yamlComponent("transfer-me", { description: "on trunk" }) } });
    fake.model.setDefaultBranch(full(repo), "trunk");
    await repositoryEvent("edited", repo, { default_branch: { from: "main" } });
    expect(await managedBy("transfer-me")).toBe(`url:https://github.com/new-owner/${repo.name}/blob/trunk/catalog-info.yaml`);
    expect((await entity("component", "transfer-me")).body.metadata.description).toBe("on trunk");
  });

  it("removes an archived repository's entities and brings them back when it is unarchived", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("archive-me") });
    await push(fake, repo, { "README.md": "index" });
    fake.model.archive(full(repo));
    await repositoryEvent("archived", repo);
    expect((await entity("component", "archive-me")).status).toBe(404);
    fake.model.archive(full(repo), false);
    await repositoryEvent("unarchived", repo);
    expect((await entity("component", "archive-me")).status).toBe(200);
  });

  it("removes a deleted repository's entities and its registered location", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("delete-me"), "x/catalog-info.yaml": yamlComponent("delete-me-too") });
    await push(fake, repo, { "README.md": "index" });
    fake.model.remove(full(repo));
    const status = await repositoryEvent("deleted", repo);
    expect(status.detail).toContain("its entities were removed");
    expect((await entity("component", "delete-me")).status).toBe(404);
    expect((await entity("component", "delete-me-too")).status).toBe(404);
    const repos = (await getJson("/api/github/repos")).body.items;
    expect(repos.find((r: { id: number }) => r.id === repo.id)).toMatchObject({ status: "removed", headSha: null });
  });
});

describe("catalog operations on GitHub entities", () => {
  it("POST /api/catalog/refresh re-reads the entity's repo through GitHub at the branch head", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("refresh-me", { description: "old" }) });
    await push(fake, repo, { "README.md": "index" });
    // Changed on GitHub, webhook lost.
    await fake.model.commit(full(repo), { files: { "catalog-info.yaml": yamlComponent("refresh-me", { description: "new" }) } });
    expect((await postJson("/api/catalog/refresh", { entityRef: "component:default/refresh-me" })).status).toBe(200);
    await expect.poll(async () => (await entity("component", "refresh-me")).body.metadata.description, { timeout: 10_000 }).toBe("new");
  });

  it("indexes a repo whole again on its next push after its location was unregistered", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("unregistered"), "x/catalog-info.yaml": yamlComponent("unregistered-x") });
    await push(fake, repo, { "README.md": "index" });
    const loc = (await getJson("/api/catalog/locations/by-entity/component/default/unregistered")).body;
    const del = await api(`/api/catalog/locations/${loc.id}`, { method: "DELETE", headers: { authorization: "Bearer test-admin-token" } });
    expect(del.status).toBe(204);
    expect((await entity("component", "unregistered-x")).status).toBe(404);
    await push(fake, repo, { "catalog-info.yaml": yamlComponent("unregistered", { description: "back" }) });
    expect((await entity("component", "unregistered")).body.metadata.description).toBe("back");
    expect((await entity("component", "unregistered-x")).status).toBe(200);
  });
});

describe("GitHub App installations", () => {
  it("backfills the repositories an installation adds, and removes them once GitHub no longer serves them", async () => {
    const a = await createRepo(fake, { "catalog-info.yaml": yamlComponent("installed-a") }, { owner: "octo-org" });
    const b = await createRepo(fake, { "svc/catalog-info.yaml": yamlComponent("installed-b") }, { owner: "octo-org" });
    const id = fake.model.createInstallation("octo-org", [full(a), full(b)]);
    const created = await deliver("installation", installationPayload(installationTemplate, "created", id, [a, b]));
    expect(created.res.status).toBe(202);
    await expect.poll(async () => (await entity("component", "installed-b")).status, { timeout: 10_000 }).toBe(200);
    expect((await entity("component", "installed-a")).status).toBe(200);

    // No GitHub App here: the worker reads with its own credentials, which taking a repo out of the
    // installation does not change; the repo goes once GitHub no longer serves it.
    fake.model.removeFromInstallation(id, full(a));
    const removed = installationRepositoriesPayload(reposTemplate, "removed", id, { removed: [a] });
    await settled((await deliver("installation_repositories", removed)).id);
    expect((await entity("component", "installed-a")).status).toBe(200);
    fake.model.remove(full(a));
    await settled((await deliver("installation_repositories", removed)).id);
    expect((await entity("component", "installed-a")).status).toBe(404);
    expect((await entity("component", "installed-b")).status).toBe(200);

    const c = await createRepo(fake, { "catalog-info.yaml": yamlComponent("installed-c") }, { owner: "octo-org" });
    fake.model.addToInstallation(id, full(c));
    await deliver("installation_repositories", installationRepositoriesPayload(reposTemplate, "added", id, { added: [c] }));
    await expect.poll(async () => (await entity("component", "installed-c")).status, { timeout: 10_000 }).toBe(200);

    fake.model.deleteInstallation(id);
    fake.model.archive(full(b));
    const deleted = await deliver("installation", installationPayload(installationTemplate, "deleted", id, []));
    expect((await settled(deleted.id)).detail).toContain("removed 1 repo(s); GitHub still serves 1 to this worker, kept");
    expect((await entity("component", "installed-b")).status).toBe(404);
    expect((await entity("component", "installed-c")).status).toBe(200);
  });
});
