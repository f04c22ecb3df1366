/** Backfill of an org's teams and people: POST /api/github/imports with `orgData`, through the queue, in workerd. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { api, getJson, postJson } from "../helpers";
import { installFakeGithub, quiesce } from "../ingestion/github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import { importOrgData, orgEntities, prefix, relationsOf } from "./org-helpers";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

/**
 * engineering ─┬─ platform ── infra
 *              └─ web
 * alice: engineering · bob: platform · carol: infra, web · dave: no team
 */
function nestedOrg(p: string) {
  const o = fake.model.orgs;
  const org = `${p}-acme`;
  o.createOrg(org);
  o.user(`${p}-alice`, { name: "Alice Liddell", email: "alice@example.com", bio: "Down the rabbit hole" });
  o.user(`${p}-bob`, { name: "Bob" });
  o.user(`${p}-carol`);
  o.user(`${p}-dave`);
  for (const who of ["alice", "bob", "carol", "dave"]) o.addMember(org, `${p}-${who}`);
  o.createTeam(org, `${p} Engineering`, { description: "Everyone who builds" });
  o.createTeam(org, `${p} Platform`, { parent: `${p}-engineering` });
  o.createTeam(org, `${p} Web`, { parent: `${p}-engineering` });
  o.createTeam(org, `${p} Infra`, { parent: `${p}-platform` });
  o.addTeamMember(org, `${p}-engineering`, `${p}-alice`);
  o.addTeamMember(org, `${p}-platform`, `${p}-bob`);
  o.addTeamMember(org, `${p}-infra`, `${p}-carol`);
  o.addTeamMember(org, `${p}-web`, `${p}-carol`);
  return org;
}

describe("org data import", () => {
  it("turns nested teams into Groups and members into Users, shaped as Backstage's GitHub org provider shapes them", async () => {
    const p = prefix();
    const org = nestedOrg(p);
    const done = await importOrgData(org);
    expect(done).toMatchObject({ status: "done", target: `org-data:${org}`, listed: true, filesTotal: 8, filesDone: 8, entities: 8, errors: 0 });

    const all = await orgEntities(p);
    expect([...all.keys()].sort()).toEqual(
      [...["engineering", "infra", "platform", "web"].map((t) => `group:default/${p}-${t}`), ...["alice", "bob", "carol", "dave"].map((u) => `user:default/${p}-${u}`)].sort(),
    );
    const platform = all.get(`group:default/${p}-platform`);
    expect(platform).toMatchObject({
      apiVersion: "backstage.io/v1alpha1",
      kind: "Group",
      metadata: {
        name: `${p}-platform`,
        namespace: "default",
        annotations: {
          "backstage.io/managed-by-location": `url:https://github.com/orgs/${org}/teams/${p}-platform`,
          "backstage.io/managed-by-origin-location": `url:https://github.com/orgs/${org}/teams/${p}-platform`,
          "github.com/team-slug": `${org}/${p}-platform`,
          "backstage.io/edit-url": `https://github.com/orgs/${org}/teams/${p}-platform/edit`,
        },
      },
      spec: { type: "team", profile: { displayName: `${p} Platform` }, parent: `${p}-engineering`, children: [`${p}-infra`], members: [`${p}-bob`] },
    });
    expect(relationsOf(platform)).toEqual([`childOf group:default/${p}-engineering`, `hasMember user:default/${p}-bob`, `parentOf group:default/${p}-infra`]);

    // GitHub lists a team's members with its child teams' members; the Group has only its direct ones.
    const engineering = all.get(`group:default/${p}-engineering`);
    expect(engineering.metadata.description).toBe("Everyone who builds");
    expect(engineering.spec).toEqual({ type: "team", profile: { displayName: `${p} Engineering` }, children: [`${p}-platform`, `${p}-web`], members: [`${p}-alice`] });

    const alice = all.get(`user:default/${p}-alice`);
    const person = fake.model.orgs.users.get(`${p}-alice`)!;
    expect(alice).toMatchObject({
      kind: "User",
      metadata: {
        name: `${p}-alice`,
        description: "Down the rabbit hole",
        annotations: {
          "backstage.io/managed-by-location": `url:https://github.com/${p}-alice`,
          "backstage.io/managed-by-origin-location": `url:https://github.com/${p}-alice`,
          "github.com/user-login": `${p}-alice`,
        },
      },
      spec: {
        profile: { displayName: "Alice Liddell", email: "alice@example.com", picture: `https://avatars.githubusercontent.com/u/${person.id}?v=4` },
        memberOf: [`${p}-engineering`],
      },
    });
    expect(relationsOf(alice)).toEqual([`memberOf group:default/${p}-engineering`]);
    // No public email or name: the profile says only what GitHub shows.
    expect(all.get(`user:default/${p}-dave`).spec).toEqual({ profile: { picture: expect.stringContaining("avatars") }, memberOf: [] });
  });

  it("re-imports as a full refresh: unchanged entities stay, people who left and deleted teams go, edits arrive", async () => {
    const p = prefix();
    const org = nestedOrg(p);
    await importOrgData(org);
    const before = await orgEntities(p);
    const o = fake.model.orgs;
    // Changes whose webhooks were lost.
    o.removeMember(org, `${p}-carol`);
    o.deleteTeam(org, `${p}-web`);
    o.user(`${p}-bob`, { name: "Robert" });
    const again = await importOrgData(org);
    expect(again).toMatchObject({ status: "done", entities: 6, errors: 0 });
    const after = await orgEntities(p);
    expect([...after.keys()].sort()).toEqual([`group:default/${p}-engineering`, `group:default/${p}-infra`, `group:default/${p}-platform`, `user:default/${p}-alice`, `user:default/${p}-bob`, `user:default/${p}-dave`]);
    expect(after.get(`user:default/${p}-bob`).spec.profile.displayName).toBe("Robert");
    expect(after.get(`group:default/${p}-engineering`).spec.children).toEqual([`${p}-platform`]);
    expect(after.get(`group:default/${p}-infra`).spec.members).toEqual([]);
    // Untouched entities were not rewritten.
    expect(after.get(`user:default/${p}-dave`).metadata.etag).toBe(before.get(`user:default/${p}-dave`).metadata.etag);
    expect(after.get(`user:default/${p}-dave`).metadata.uid).toBe(before.get(`user:default/${p}-dave`).metadata.uid);
  });

  it("reads a large org in batches, a page of 100 at a time, and counts its progress", async () => {
    const p = prefix();
    const o = fake.model.orgs;
    const org = `${p}-big`;
    o.createOrg(org);
    o.createTeam(org, `${p} Everyone`);
    for (let i = 0; i < 150; i++) {
      o.user(`${p}-u${i}`, { name: `Person ${i}` });
      o.addMember(org, `${p}-u${i}`);
      o.addTeamMember(org, `${p}-everyone`, `${p}-u${i}`);
    }
    const before = fake.requests.length;
    const done = await importOrgData(org);
    expect(done).toMatchObject({ status: "done", reposTotal: 2, reposDone: 2, filesTotal: 151, filesDone: 151, entities: 151 });
    const paths = fake.requests.slice(before).map((r) => r.path);
    expect(paths.filter((q) => q.startsWith(`/orgs/${org}/members?`))).toEqual([`/orgs/${org}/members?per_page=100&page=1`, `/orgs/${org}/members?per_page=100&page=2`]);
    expect(paths.filter((q) => q.startsWith("/users/")).length).toBe(150);
    const all = await orgEntities(p);
    expect(all.get(`group:default/${p}-everyone`).spec.members).toHaveLength(150);
    expect(all.get(`user:default/${p}-u149`).spec).toMatchObject({ profile: { displayName: "Person 149" }, memberOf: [`${p}-everyone`] });
  });

  it("fails the import of an unknown org with a message, and refuses bad requests", async () => {
    expect(await importOrgData("no-such-org-here")).toMatchObject({ status: "failed", message: "No organization named no-such-org-here on GitHub, or no access to it" });
    for (const body of [{ target: "acme/repo", orgData: true }, { target: "-bad", orgData: true }, { target: "acme", orgData: "yes" }, { orgData: true }]) {
      const res = await postJson("/api/github/imports", body);
      expect(res.status).toBe(400);
      expect(res.body.error.name).toBe("InputError");
    }
    // A member may not import; no credential at all is a 401.
    expect((await postJson("/api/github/imports", { target: "acme", orgData: true }, {})).status).toBe(403);
    const anonymous = await api("/api/github/imports", { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ target: "acme", orgData: true }) }, "anonymous");
    expect(anonymous.status).toBe(401);
    const list = await getJson("/api/github/imports");
    expect(list.body.items[0]).toMatchObject({ target: "org-data:no-such-org-here", status: "failed" });
  });
});
