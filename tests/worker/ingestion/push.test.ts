/** Push webhooks end to end: signed delivery → queue → fake GitHub → catalog API. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson } from "../helpers";
import { createRepo, deliver, entity, installFakeGithub, push, pushBody, settled, yamlComponent, quiesce } from "./github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import { pullRequestPayload } from "../../fake-github/payloads.mjs";
import prTemplate from "../../fixtures/github/pull_request-opened.json";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

describe("push to the default branch", () => {
  it("adds the entities of a new catalog-info.yaml, with provenance and Backstage's annotations", async () => {
    const repo = await createRepo(fake, { "README.md": "# hi\n" });
    const { result, delivered, status } = await push(fake, repo, { "catalog-info.yaml": yamlComponent("push-new") }, { pusher: "mona" });
    expect(delivered.res.status).toBe(202);
    expect(delivered.body).toMatchObject({ status: "accepted", delivery: delivered.id });
    expect(status.status).toBe("done");

    const { status: code, body } = await entity("component", "push-new");
    expect(code).toBe(200);
    const base = `https://github.com/${repo.owner}/${repo.name}`;
    expect(body.metadata.annotations).toMatchObject({
      "backstage.io/managed-by-location": `url:${base}/blob/main/catalog-info.yaml`,
      "backstage.io/managed-by-origin-location": `url:${base}/blob/main/catalog-info.yaml`,
      "backstage.io/view-url": `${base}/blob/main/catalog-info.yaml`,
      "backstage.io/edit-url": `${base}/edit/main/catalog-info.yaml`,
      "backstage.io/source-location": `url:${base}/tree/main/`,
    });
    const info = await getJson("/api/catalog/entity-info/component/default/push-new");
    expect(info.body.provenance).toMatchObject({ repo: `${repo.owner}/${repo.name}`, path: "catalog-info.yaml", commitSha: result.after, actor: "mona" });
    expect(info.body.provenance.committedAt).toBe(result.commit.time - (result.commit.time % 1000));
    const changes = await getJson("/api/catalog/changes?entityRef=component:default/push-new");
    expect(changes.body.items[0]).toMatchObject({ action: "added", commitSha: result.after, actor: "mona" });
  });

  it("finds catalog files at any depth and follows Location targets within the repo", async () => {
    const repo = await createRepo(fake, {
      "services/billing/catalog-info.yml": yamlComponent("deep-billing"),
      "catalog-info.yaml": [
        "apiVersion: backstage.io/v1alpha1",
        "kind: Location",
        "metadata:",
        "  name: root-loc",
        "spec:",
        "  targets: [./more/a.yaml, ./more/b.yaml]",
        "",
      ].join("\n"),
      "more/a.yaml": yamlComponent("loc-a"),
      "more/b.yaml": yamlComponent("loc-b"),
    });
    const { status } = await push(fake, repo, { "docs/x.md": "x" });
    expect(status.status).toBe("done");
    for (const name of ["deep-billing", "loc-a", "loc-b"]) expect((await entity("component", name)).status).toBe(200);
    const a = await entity("component", "loc-a");
    expect(a.body.metadata.annotations["backstage.io/managed-by-location"]).toBe(`url:https://github.com/${repo.owner}/${repo.name}/tree/main/more/a.yaml`);

    // A change to a target file (no pattern matches it) is picked up because the catalog knows the file.
    await push(fake, repo, { "more/a.yaml": yamlComponent("loc-a", { description: "changed" }) });
    expect((await entity("component", "loc-a")).body.metadata.description).toBe("changed");
    // Dropping a target from the Location removes what that target emitted.
    await push(fake, repo, { "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Location\nmetadata:\n  name: root-loc\nspec:\n  targets: [./more/a.yaml]\n" });
    expect((await entity("component", "loc-b")).status).toBe(404);
    expect((await entity("component", "loc-a")).status).toBe(200);
  });

  it("re-reads a catalog file when a file its placeholders embed changes (Backstage's refresh keys)", async () => {
    const api = ["apiVersion: backstage.io/v1alpha1", "kind: API", "metadata:", "  name: embedded-api", "spec:", "  type: openapi", "  lifecycle: production", "  owner: team-a", "  definition:", "    $text: ./openapi.yaml", ""].join("\n");
    const repo = await createRepo(fake, { "catalog-info.yaml": api, "openapi.yaml": "openapi: 3.0.0\ninfo: {title: v1}\n" });
    await push(fake, repo, { "README.md": "index" });
    expect((await entity("api", "embedded-api")).body.spec.definition).toContain("title: v1");
    await push(fake, repo, { "openapi.yaml": "openapi: 3.0.0\ninfo: {title: v2}\n" });
    expect((await entity("api", "embedded-api")).body.spec.definition).toContain("title: v2");
    // A truncated push (tree comparison) notices it too.
    const c = await fake.model.commit(`${repo.owner}/${repo.name}`, { files: { "openapi.yaml": "openapi: 3.0.0\ninfo: {title: v3}\n" } });
    await settled((await deliver("push", pushBody(repo, [c], { forced: true }))).id);
    expect((await entity("api", "embedded-api")).body.spec.definition).toContain("title: v3");
  });

  it("updates, removes entities that disappear from a file, and removes a deleted file's entities", async () => {
    const repo = await createRepo(fake, {});
    await push(fake, repo, { "catalog-info.yaml": `${yamlComponent("multi-1")}---\n${yamlComponent("multi-2")}` });
    expect((await entity("component", "multi-2")).status).toBe(200);
    await push(fake, repo, { "catalog-info.yaml": yamlComponent("multi-1", { description: "v2" }) });
    expect((await entity("component", "multi-1")).body.metadata.description).toBe("v2");
    expect((await entity("component", "multi-2")).status).toBe(404);
    await push(fake, repo, { "catalog-info.yaml": null });
    expect((await entity("component", "multi-1")).status).toBe(404);
  });

  it("keeps the last good entities of a broken file, records the error with its line, and clears it on the next good push", async () => {
    const repo = await createRepo(fake, {});
    await push(fake, repo, { "catalog-info.yaml": yamlComponent("broken-later", { description: "good" }) });
    const bad = await push(fake, repo, { "catalog-info.yaml": `${yamlComponent("broken-later")}  tags: [unclosed\n` });
    const kept = await entity("component", "broken-later");
    expect(kept.body.metadata.description).toBe("good");
    const key = `url:https://github.com/${repo.owner}/${repo.name}/blob/main/catalog-info.yaml`;
    const errors = await getJson(`/api/catalog/processing-errors?location=${encodeURIComponent(key)}`);
    expect(errors.body.items).toHaveLength(1);
    expect(errors.body.items[0]).toMatchObject({ location: key, commitSha: bad.result.after, name: "InputError" });
    expect(errors.body.items[0].line).toBeGreaterThan(0);
    const info = await getJson("/api/catalog/entity-info/component/default/broken-later");
    expect(info.body.errors[0]).toMatchObject({ location: key, commitSha: bad.result.after });

    // The push is reported on the pushed commit (a commit status: no GitHub App is configured here).
    await expect.poll(() => fake.statuses.find((s) => s.sha === bad.result.after)).toBeDefined();
    const st = fake.statuses.find((s) => s.sha === bad.result.after)!;
    expect(st.body).toMatchObject({ state: "failure", context: "edgestage/catalog" });
    expect(st.body.description).toContain("catalog-info.yaml:");

    await push(fake, repo, { "catalog-info.yaml": yamlComponent("broken-later", { description: "fixed" }) });
    expect((await entity("component", "broken-later")).body.metadata.description).toBe("fixed");
    expect((await getJson(`/api/catalog/processing-errors?location=${encodeURIComponent(key)}`)).body.items).toEqual([]);
  });

  it("keeps the last good version of an invalid entity and shows the error in its status", async () => {
    const repo = await createRepo(fake, {});
    await push(fake, repo, { "catalog-info.yaml": yamlComponent("invalid-later", { description: "good" }) });
    await push(fake, repo, { "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: invalid-later\nspec:\n  lifecycle: production\n" });
    const kept = await entity("component", "invalid-later");
    expect(kept.body.metadata.description).toBe("good");
    expect(kept.body.status.items[0]).toMatchObject({ type: "backstage.io/catalog-processing", level: "error" });
    await push(fake, repo, { "catalog-info.yaml": yamlComponent("invalid-later") });
    expect((await entity("component", "invalid-later")).body.status).toBeUndefined();
  });

  it("moves an entity when its file is renamed", async () => {
    const repo = await createRepo(fake, { "a/catalog-info.yaml": yamlComponent("renamed-file") });
    await push(fake, repo, { "README.md": "first index" });
    const before = await entity("component", "renamed-file");
    const content = yamlComponent("renamed-file");
    await push(fake, repo, { "a/catalog-info.yaml": null, "b/catalog-info.yaml": content });
    const after = await entity("component", "renamed-file");
    expect(after.status).toBe(200);
    expect(after.body.metadata.annotations["backstage.io/managed-by-location"]).toMatch(/\/blob\/main\/b\/catalog-info\.yaml$/);
    expect(before.body.metadata.annotations["backstage.io/managed-by-location"]).toMatch(/\/a\/catalog-info\.yaml$/);
    const errors = await getJson("/api/catalog/processing-errors?entityRef=component:default/renamed-file");
    expect(errors.body.items).toEqual([]);
  });

  it("ignores pushes that touch no catalog file without changing anything", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("quiet") });
    await push(fake, repo, { "README.md": "1" });
    const first = await entity("component", "quiet");
    const requestsBefore = fake.requests.length;
    await push(fake, repo, { "src/main.ts": "console.log(1)" });
    expect((await entity("component", "quiet")).body.metadata.etag).toBe(first.body.metadata.etag);
    // The cheap path: no tree listing and no file fetch for a push that changed no catalog file.
    const calls = fake.requests.slice(requestsBefore).map((r) => r.path);
    expect(calls.filter((p) => p.includes("/contents/") || p.includes("/git/trees/"))).toEqual([]);
  });
});

describe("pushes that change nothing", () => {
  it("ignores a push to another branch, a tag push and a branch deletion, and says why", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("branchy") });
    const feature = await fake.model.commit(`${repo.owner}/${repo.name}`, { branch: "feature", files: { "catalog-info.yaml": yamlComponent("branchy-feature") } });
    const other = await deliver("push", pushBody(repo, [feature], { branch: "feature" }));
    expect(other.res.status).toBe(200);
    expect(other.body).toMatchObject({ status: "ignored", message: "push to feature: only the default branch main is indexed" });
    const tag = await deliver("push", pushBody(repo, [feature], { tag: "v1.0.0" }));
    expect(tag.body).toMatchObject({ status: "ignored", message: "tag push v1.0.0: tags do not change the catalog" });
    const deleted = await deliver("push", pushBody(repo, [], { branch: "main", deleted: true, before: feature.after }));
    expect(deleted.body).toMatchObject({ status: "ignored", message: "branch main was deleted: nothing to index" });
    expect((await settled(other.id)).status).toBe("ignored");
    expect((await entity("component", "branchy-feature")).status).toBe(404);
  });
});

describe("pull requests", () => {
  it("validates a pull request's catalog files at its head and reports on the head commit, without touching the catalog", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("pr-e2e") });
    await push(fake, repo, { "README.md": "index" });
    await fake.model.commit(`${repo.owner}/${repo.name}`, { branch: "broken", files: { "catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: pr-e2e\n  description: [oops\n" } });
    const pull = fake.model.openPull(`${repo.owner}/${repo.name}`, { head: "broken" });
    const delivered = await deliver("pull_request", pullRequestPayload(prTemplate, "opened", repo, pull));
    expect(delivered.res.status).toBe(202);
    expect((await settled(delivered.id)).status).toBe("done");
    const status = fake.statuses.find((s) => s.sha === pull.headSha)!;
    expect(status.body).toMatchObject({ state: "failure", context: "edgestage/catalog" });
    expect(status.body.description).toMatch(/catalog-info\.yaml:\d+ YAML error/);
    expect((await entity("component", "pr-e2e")).body.metadata.description).toBeUndefined();
  });
});
