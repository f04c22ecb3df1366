/** The webhook analyzer on real GitHub payloads (@octokit/webhooks-examples), like Backstage's analyzeGithubWebhookEvent suite. */
import { describe, expect, it } from "vitest";
import { analyzeGithubWebhook, foldPushChanges } from "../../../worker/ingestion/github";
import { matchesCatalogPattern, parsePatterns } from "../../../worker/github/patterns";
import push from "../../fixtures/github/push.json";
import pushTag from "../../fixtures/github/push-tag.json";
import pushDelete from "../../fixtures/github/push-delete.json";
import renamed from "../../fixtures/github/repository-renamed.json";
import transferred from "../../fixtures/github/repository-transferred.json";
import defaultBranch from "../../fixtures/github/repository-edited-default-branch.json";
import installationCreated from "../../fixtures/github/installation-created.json";
import installationDeleted from "../../fixtures/github/installation-deleted.json";
import reposAdded from "../../fixtures/github/installation_repositories-added.json";
import reposRemoved from "../../fixtures/github/installation_repositories-removed.json";
import prOpened from "../../fixtures/github/pull_request-opened.json";
import prSync from "../../fixtures/github/pull_request-synchronize.json";

const patterns = parsePatterns(undefined);
const analyze = (event: string, payload: unknown) => analyzeGithubWebhook(event, payload, "delivery-1", patterns);
const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v));

/** The real push, as a later push on an existing branch whose commit touched these paths. */
function pushTouching(lists: { added?: string[]; modified?: string[]; removed?: string[] }[]) {
  const body: Record<string, any> = clone(push);
  body.created = false;
  body.before = "1".repeat(40);
  body.commits = lists.map((l, i) => ({ ...clone(push.commits[0]), id: String(i).repeat(40).slice(0, 40), added: l.added ?? [], modified: l.modified ?? [], removed: l.removed ?? [] }));
  return body;
}

describe("push", () => {
  it("queues a tree comparison for a branch's first push (its lists describe no previous state)", () => {
    const result = analyze("push", push);
    expect(result).toMatchObject({ type: "ok", repo: "Codertocat/Hello-World" });
    expect(result.type === "ok" && result.jobs[0]).toMatchObject({
      type: "github-push",
      deliveryId: "delivery-1",
      repo: { id: push.repository.id, owner: "Codertocat", name: "Hello-World", defaultBranch: "master", installationId: 1 },
      before: null,
      after: push.after,
      actor: "Codertocat",
      time: Date.parse("2019-05-15T15:19:25Z"),
      changes: null,
    });
  });

  it("folds the commits' lists: the last commit touching a path decides, and unrelated files are dropped", () => {
    const changes = foldPushChanges(
      pushTouching([{ added: ["catalog-info.yaml", "README.md", "a/catalog-info.yml"] }, { removed: ["catalog-info.yaml"], modified: ["docs/api.yaml", "src/x.ts"] }]),
      patterns,
    );
    expect(changes).toEqual({
      commits: [
        { id: "0".repeat(40), time: expect.any(Number) },
        { id: "1".repeat(40), time: expect.any(Number) },
      ],
      upsert: [["a/catalog-info.yml", 0], ["docs/api.yaml", 1]],
      remove: ["catalog-info.yaml"],
    });
  });

  it("does not trust lists that may be truncated, forced or missing", () => {
    expect(foldPushChanges(pushTouching(Array.from({ length: 20 }, () => ({ added: ["catalog-info.yaml"] }))), patterns)).toBeNull();
    expect(foldPushChanges({ ...pushTouching([{ added: ["catalog-info.yaml"] }]), forced: true }, patterns)).toBeNull();
    expect(foldPushChanges(pushTouching([{ added: Array.from({ length: 3000 }, (_, i) => `f${i}.yaml`) }]), patterns)).toBeNull();
    const missing = pushTouching([{}]);
    delete (missing.commits[0] as { added?: string[] }).added;
    expect(foldPushChanges(missing, patterns)).toBeNull();
  });

  it("keeps queue messages small: a push listing thousands of data files compares trees instead", () => {
    const result = analyze("push", pushTouching([{ added: Array.from({ length: 2900 }, (_, i) => `services/service-number-${i}/catalog-info.yaml`) }]));
    expect(result.type === "ok" && result.jobs[0]).toMatchObject({ changes: null });
  });

  it("ignores tag pushes, other branches and branch deletions", () => {
    expect(analyze("push", pushTag)).toEqual({ type: "ignored", reason: "tag push simple-tag: tags do not change the catalog", repo: "Codertocat/Hello-World" });
    expect(analyze("push", { ...clone(push), ref: "refs/heads/feature/x" })).toMatchObject({ type: "ignored", reason: "push to feature/x: only the default branch master is indexed" });
    expect(analyze("push", { ...clone(push), deleted: true, after: "0".repeat(40) })).toMatchObject({ type: "ignored", reason: "branch master was deleted: nothing to index" });
    expect(analyze("push", pushDelete)).toMatchObject({ type: "ignored" });
  });
});

describe("repository and installation", () => {
  it("re-keys renamed and transferred repositories and a new default branch", () => {
    for (const payload of [renamed, transferred, defaultBranch]) {
      const result = analyze("repository", payload);
      expect(result.type === "ok" && result.jobs[0]).toMatchObject({
        type: "github-repo",
        action: "reindex",
        repo: { id: payload.repository.id, owner: payload.repository.owner.login, name: payload.repository.name, defaultBranch: payload.repository.default_branch },
      });
    }
  });

  it("removes deleted and archived repositories", () => {
    for (const action of ["deleted", "archived"]) {
      const result = analyze("repository", { ...clone(renamed), action });
      expect(result.type === "ok" && result.jobs[0]).toMatchObject({ type: "github-repo", action });
    }
  });

  it("backfills an installation's repositories and removes them when it goes", () => {
    expect(analyze("installation", installationCreated)).toMatchObject({
      type: "ok",
      jobs: [{ type: "github-installation", action: "added", installationId: installationCreated.installation.id, repos: [{ id: installationCreated.repositories[0].id, fullName: "Codertocat/Hello-World" }] }],
    });
    expect(analyze("installation", installationDeleted)).toMatchObject({ type: "ok", jobs: [{ action: "removed", installationId: installationDeleted.installation.id, repos: null }] });
    expect(analyze("installation_repositories", reposAdded)).toMatchObject({ type: "ok", jobs: [{ action: "added", repos: [{ fullName: "Codertocat/Space" }] }] });
    expect(analyze("installation_repositories", reposRemoved)).toMatchObject({ type: "ok", jobs: [{ action: "removed", repos: [{ fullName: "octocat/Hello-World" }] }] });
  });
});

describe("pull_request", () => {
  it("validates opened and synchronized pull requests at their head", () => {
    for (const payload of [prOpened, prSync]) {
      const result = analyze("pull_request", payload);
      expect(result.type === "ok" && result.jobs[0]).toMatchObject({
        type: "github-pr-check",
        number: payload.number,
        headSha: payload.pull_request.head.sha,
        head: { owner: payload.pull_request.head.repo.owner.login, name: payload.pull_request.head.repo.name },
      });
    }
    expect(analyze("pull_request", { ...clone(prOpened), action: "closed" })).toMatchObject({ type: "ignored" });
  });
});

describe("catalog file patterns", () => {
  it("matches catalog-info.yaml and .yml at any depth by default", () => {
    for (const p of ["catalog-info.yaml", "a/b/catalog-info.yml"]) expect(matchesCatalogPattern(p, patterns)).toBe(true);
    for (const p of ["catalog-info.yaml.bak", "my-catalog-info.yaml", "a/catalog.yaml"]) expect(matchesCatalogPattern(p, patterns)).toBe(false);
    expect(matchesCatalogPattern("a/catalog-info.yaml", parsePatterns("/catalog-info.yaml"))).toBe(false);
    expect(matchesCatalogPattern("x/y/z.catalog.yaml", parsePatterns("**/*.catalog.yaml"))).toBe(true);
  });
});
