/** Deliveries in any order, twice, lost or failed: the catalog still ends at the branch head. */
import { createExecutionContext, createScheduledController, env } from "cloudflare:test";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import worker from "../../../worker/index";
import { ADMIN, api, getJson, postJson } from "../helpers";
import { createRepo, deliver, entity, getDeliveryStatus, installFakeGithub, push, pushBody, settled, yamlComponent, quiesce } from "./github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import type { FakeRepo } from "../../fake-github/model.mjs";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

const full = (r: FakeRepo) => `${r.owner}/${r.name}`;
const description = async (name: string) => (await entity("component", name)).body?.metadata?.description;

describe("ordering", () => {
  it("a late delivery of an older push never overwrites newer state", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("late", { description: "v0" }) });
    await push(fake, repo, { "README.md": "index" });
    const c1 = await fake.model.commit(full(repo), { files: { "catalog-info.yaml": yamlComponent("late", { description: "v1" }) } });
    const c2 = await fake.model.commit(full(repo), { files: { "catalog-info.yaml": yamlComponent("late", { description: "v2" }) } });
    const second = await deliver("push", pushBody(repo, [c2]));
    expect((await settled(second.id)).status).toBe("done");
    expect(await description("late")).toBe("v2");
    const first = await deliver("push", pushBody(repo, [c1]));
    const status = await settled(first.id);
    expect(status.detail).toMatch(/^skipped: stale/);
    expect(await description("late")).toBe("v2");
  });

  it("a push that arrives before an earlier one it depends on indexes the whole gap", async () => {
    const repo = await createRepo(fake, {});
    await push(fake, repo, { "README.md": "index" });
    const c1 = await fake.model.commit(full(repo), { files: { "a/catalog-info.yaml": yamlComponent("gap-a") } });
    const c2 = await fake.model.commit(full(repo), { files: { "b/catalog-info.yaml": yamlComponent("gap-b") } });
    await settled((await deliver("push", pushBody(repo, [c2]))).id);
    expect((await entity("component", "gap-a")).status).toBe(200);
    expect((await entity("component", "gap-b")).status).toBe(200);
    await settled((await deliver("push", pushBody(repo, [c1]))).id);
    expect((await entity("component", "gap-b")).status).toBe(200);
  });

  it("a force push that rewinds the branch reverts the catalog, and the rewritten push arriving late is ignored", async () => {
    const repo = await createRepo(fake, { "catalog-info.yaml": yamlComponent("forced", { description: "base" }) });
    const base = (await push(fake, repo, { "README.md": "index" })).result;
    const rewritten = (await push(fake, repo, { "catalog-info.yaml": yamlComponent("forced", { description: "oops" }), "x/catalog-info.yaml": yamlComponent("forced-extra") })).result;
    expect(await description("forced")).toBe("oops");
    // git reset --hard HEAD~1 && git push --force, then a new commit on top of the old base.
    const fixed = await fake.model.commit(full(repo), { from: base.after, files: { "catalog-info.yaml": yamlComponent("forced", { description: "fixed" }) } });
    expect(fixed.forced).toBe(true);
    const forced = await deliver("push", pushBody(repo, [fixed], { before: rewritten.after, forced: true }));
    expect((await settled(forced.id)).status).toBe("done");
    expect(await description("forced")).toBe("fixed");
    expect((await entity("component", "forced-extra")).status).toBe(404);
    // The push of the commit the force push threw away comes in late: the branch no longer points there.
    const late = await deliver("push", pushBody(repo, [rewritten]));
    expect((await settled(late.id)).detail).toMatch(/^skipped: stale/);
    expect(await description("forced")).toBe("fixed");
  });

  it("a push with more than 20 commits (a possibly truncated list) compares trees instead", async () => {
    const repo = await createRepo(fake, {});
    await push(fake, repo, { "README.md": "index" });
    const commits = [];
    for (let i = 0; i < 25; i++) {
      commits.push(await fake.model.commit(full(repo), { files: { [`c${i}/catalog-info.yaml`]: yamlComponent(`many-${i}`) } }));
    }
    // Only the last 20 commits are listed, as GitHub once did: commits 0-4 appear nowhere in the payload.
    const body = pushBody(repo, commits, { keepCommits: 20, before: commits[0].before });
    expect(body.commits).toHaveLength(20);
    expect((await settled((await deliver("push", body)).id)).detail).toMatch(/\(tree\)/);
    for (let i = 0; i < 25; i++) expect((await entity("component", `many-${i}`)).status).toBe(200);
  });
});

describe("at-most-once deliveries", () => {
  it("processes a replayed delivery (same X-GitHub-Delivery) once", async () => {
    const repo = await createRepo(fake, {});
    await push(fake, repo, { "README.md": "index" });
    const c1 = await fake.model.commit(full(repo), { files: { "catalog-info.yaml": yamlComponent("replayed") } });
    const first = await deliver("push", pushBody(repo, [c1]));
    await settled(first.id);
    const again = await deliver("push", pushBody(repo, [c1]), { id: first.id });
    expect(again.res.status).toBe(200);
    expect(again.body).toMatchObject({ status: "duplicate", delivery: first.id });
    const changes = await getJson("/api/catalog/changes?entityRef=component:default/replayed");
    expect(changes.body.items).toHaveLength(1);
  });

  it("a redelivery after a failure completes the work; a dead letter can be replayed", async () => {
    const repo = await createRepo(fake, {});
    await push(fake, repo, { "README.md": "index" });
    const c1 = await fake.model.commit(full(repo), { files: { "catalog-info.yaml": yamlComponent("after-failure") } });
    // GitHub refuses access (403 without rate-limit headers): retrying cannot help, so the job is dead at once.
    fake.setFaults({ rate: 1, kinds: ["forbidden"], maxPerKey: 100, match: (p) => p.includes(repo.name) });
    const failed = await deliver("push", pushBody(repo, [c1]));
    const dead = await settled(failed.id);
    expect(dead.status).toBe("dead");
    expect(dead.detail).toContain("HTTP 403");
    const letters = await getJson("/api/jobs/dead-letters?pending=true", "anonymous");
    expect(letters.status).toBe(401);
    const listed = await api("/api/jobs/dead-letters?pending=true", { headers: ADMIN });
    const letter = ((await listed.json()) as { items: any[] }).items.find((l) => l.deliveryId === failed.id);
    expect(letter).toMatchObject({ type: "github-push", attempts: 1, error: expect.stringContaining("GithubApiError") });
    expect((await entity("component", "after-failure")).status).toBe(404);

    // Access is fixed; the admin redelivers from GitHub's UI (same delivery id).
    fake.setFaults(null);
    const redelivered = await deliver("push", pushBody(repo, [c1]), { id: failed.id });
    expect(redelivered.res.status).toBe(202);
    expect((await settled(failed.id)).status).toBe("done");
    expect((await entity("component", "after-failure")).status).toBe(200);

    // Replaying the dead letter now is harmless: the delivery is done, so the job is skipped.
    const replay = await postJson(`/api/jobs/dead-letters/${letter.id}/replay`, {});
    expect(replay.status).toBe(202);
    expect((await postJson("/api/jobs/dead-letters/999999/replay", {})).status).toBe(404);
    expect((await getDeliveryStatus(failed.id))?.status).toBe("done");
  });
});

describe("nothing missed", () => {
  it("the sweep re-indexes a repo whose webhook was lost", async () => {
    const repo = await createRepo(fake, {});
    await push(fake, repo, { "README.md": "index" });
    // Committed, but the webhook never arrives.
    await fake.model.commit(full(repo), { files: { "catalog-info.yaml": yamlComponent("lost-webhook") } });
    expect((await entity("component", "lost-webhook")).status).toBe(404);
    const ctx = createExecutionContext();
    await worker.scheduled(createScheduledController({ cron: "*/10 * * * *", scheduledTime: Date.now() }), env, ctx);
    await expect.poll(async () => (await entity("component", "lost-webhook")).status, { timeout: 10_000 }).toBe(200);
  });

  it("POST /api/github/sweep runs the sweep on demand (admin only)", async () => {
    expect((await postJson("/api/github/sweep", {}, {}, "anonymous")).status).toBe(401);
    const repo = await createRepo(fake, {});
    await push(fake, repo, { "README.md": "index" });
    await fake.model.commit(full(repo), { files: { "catalog-info.yaml": yamlComponent("lost-again") } });
    expect((await postJson("/api/github/sweep", {})).status).toBe(202);
    await expect.poll(async () => (await entity("component", "lost-again")).status, { timeout: 10_000 }).toBe(200);
  });
});
