/**
 * Org data kept fresh by webhooks (organization, membership, team, member), each made from GitHub's real
 * body, signed and delivered through POST /api/github/webhook, applied by the queue consumer in workerd.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deliver, installFakeGithub, quiesce, settled } from "../ingestion/github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import memberEdited from "../../fixtures/github/member-edited.json";
import membershipRemovedDeletedTeam from "../../fixtures/github/membership-removed-deleted-team.json";
import memberInvited from "../../fixtures/github/organization-member_invited.json";
import teamAddedToRepository from "../../fixtures/github/team-added_to_repository.json";
import { importOrgData, orgEntities, prefix, relationsOf, sendAndSettle } from "./org-helpers";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

/** An imported org: `lead` ─ `core`; ann in lead, ben in core, cy in no team. */
async function importedOrg() {
  const p = prefix();
  const o = fake.model.orgs;
  const org = `${p}-org`;
  o.createOrg(org);
  for (const who of ["ann", "ben", "cy"]) {
    o.user(`${p}-${who}`, { name: who.toUpperCase() });
    o.addMember(org, `${p}-${who}`);
  }
  o.createTeam(org, `${p} Lead`);
  o.createTeam(org, `${p} Core`, { parent: `${p}-lead` });
  o.addTeamMember(org, `${p}-lead`, `${p}-ann`);
  o.addTeamMember(org, `${p}-core`, `${p}-ben`);
  expect(await importOrgData(org)).toMatchObject({ status: "done" });
  return { p, o, org, ref: (kind: "group" | "user", name: string) => `${kind}:default/${p}-${name}` };
}

describe("organization webhooks", () => {
  it("member_added makes the person a User with their public profile; member_removed removes them from the org and its teams", async () => {
    const { p, o, org, ref } = await importedOrg();
    o.user(`${p}-dee`, { name: "Dee Dee", email: "dee@example.com" });
    const [added] = await sendAndSettle(o.addMember(org, `${p}-dee`));
    expect(added).toMatchObject({ status: "done", detail: expect.stringContaining("1 added") });
    expect((await orgEntities(p)).get(ref("user", "dee")).spec).toMatchObject({ profile: { displayName: "Dee Dee", email: "dee@example.com" }, memberOf: [] });

    const [removed] = await sendAndSettle(o.removeMember(org, `${p}-ben`));
    expect(removed.status).toBe("done");
    const all = await orgEntities(p);
    expect(all.has(ref("user", "ben"))).toBe(false);
    expect(all.get(ref("group", "core")).spec.members).toEqual([]);
    expect(relationsOf(all.get(ref("group", "core")))).toEqual([`childOf ${ref("group", "lead")}`]);
  });

  it("applies a removal only when GitHub confirms it: a replayed member_removed for someone who came back changes nothing", async () => {
    const { p, o, org, ref } = await importedOrg();
    const leave = o.removeMember(org, `${p}-cy`);
    o.addMember(org, `${p}-cy`);
    const [status] = await sendAndSettle(leave);
    expect(status.status).toBe("done");
    expect((await orgEntities(p)).has(ref("user", "cy"))).toBe(true);
  });

  it("ignores member_invited until the invitation is accepted", async () => {
    const { p, org } = await importedOrg();
    const before = await orgEntities(p);
    const org0 = fake.model.orgs.findOrg(org)!;
    const { res, id } = await deliver("organization", { ...memberInvited, organization: { ...memberInvited.organization, id: org0.id, login: org } });
    expect(res.status).toBe(200);
    expect(await settled(id)).toMatchObject({ status: "ignored", detail: expect.stringContaining("invited") });
    expect([...(await orgEntities(p)).keys()]).toEqual([...before.keys()]);
  });

  it("renamed moves the org's entities to its new name: same Groups and Users, new team-slug annotations and location key", async () => {
    const { p, o, org, ref } = await importedOrg();
    const before = await orgEntities(p);
    const [status] = await sendAndSettle(o.renameOrg(org, `${p}-neworg`));
    expect(status.status).toBe("done");
    const after = await orgEntities(p);
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort());
    expect(after.get(ref("group", "core")).metadata.annotations).toMatchObject({
      "github.com/team-slug": `${p}-neworg/${p}-core`,
      "backstage.io/managed-by-location": `url:https://github.com/orgs/${p}-neworg/teams/${p}-core`,
    });
    expect(after.get(ref("user", "ann")).spec.memberOf).toEqual([`${p}-lead`]);
    // Later events are read under the new login.
    o.user(`${p}-eve`);
    await sendAndSettle(o.addMember(`${p}-neworg`, `${p}-eve`));
    expect((await orgEntities(p)).has(ref("user", "eve"))).toBe(true);
  });

  it("deleted removes the org's entities once GitHub confirms the org is gone", async () => {
    const { p, o, org } = await importedOrg();
    const [status] = await sendAndSettle(o.deleteOrg(org));
    expect(status).toMatchObject({ status: "done", detail: expect.stringContaining("5 entities removed") });
    expect((await orgEntities(p)).size).toBe(0);
  });

  it("does nothing for an org that was never imported", async () => {
    const p = prefix();
    const o = fake.model.orgs;
    o.createOrg(`${p}-elsewhere`);
    o.user(`${p}-zed`);
    const [status] = await sendAndSettle(o.addMember(`${p}-elsewhere`, `${p}-zed`));
    expect(status).toMatchObject({ status: "done", detail: expect.stringContaining("is not imported") });
    expect((await orgEntities(p)).size).toBe(0);
  });
});

describe("membership webhooks", () => {
  it("added and removed change the team's members and the person's memberOf, and nothing of the parent team", async () => {
    const { p, o, org, ref } = await importedOrg();
    await sendAndSettle(o.addTeamMember(org, `${p}-core`, `${p}-cy`));
    let all = await orgEntities(p);
    expect(all.get(ref("group", "core")).spec.members).toEqual([`${p}-ben`, `${p}-cy`]);
    expect(all.get(ref("group", "lead")).spec.members).toEqual([`${p}-ann`]);
    expect(all.get(ref("user", "cy")).spec.memberOf).toEqual([`${p}-core`]);
    expect(relationsOf(all.get(ref("user", "cy")))).toEqual([`memberOf ${ref("group", "core")}`]);

    await sendAndSettle(o.removeTeamMember(org, `${p}-core`, `${p}-ben`));
    all = await orgEntities(p);
    expect(all.get(ref("group", "core")).spec.members).toEqual([`${p}-cy`]);
    expect(all.get(ref("user", "ben")).spec.memberOf).toEqual([]);
  });

  it("picks up a team it had not seen yet when a membership event names it", async () => {
    const { p, o, org, ref } = await importedOrg();
    o.createTeam(org, `${p} Quiet`, { parent: `${p}-core` }); // its `team created` webhook was lost
    await sendAndSettle(o.addTeamMember(org, `${p}-quiet`, `${p}-cy`));
    const all = await orgEntities(p);
    expect(all.get(ref("group", "quiet")).spec).toMatchObject({ parent: `${p}-core`, members: [`${p}-cy`] });
    expect(all.get(ref("group", "core")).spec.children).toEqual([`${p}-quiet`]);
  });

  it("a removal from a team GitHub already deleted (the real payload with team.deleted) drops the team", async () => {
    const { p, o, org, ref } = await importedOrg();
    const core = [...o.findOrg(org)!.teams.values()].find((t) => t.slug === `${p}-core`)!;
    o.deleteTeam(org, `${p}-core`);
    const body = { ...membershipRemovedDeletedTeam, team: { ...membershipRemovedDeletedTeam.team, id: core.id, name: core.name }, member: { ...membershipRemovedDeletedTeam.member, login: `${p}-ben` }, organization: { ...membershipRemovedDeletedTeam.organization, id: o.findOrg(org)!.id, login: org } };
    const { res, id } = await deliver("membership", body);
    expect(res.status).toBe(202);
    expect((await settled(id)).status).toBe("done");
    const all = await orgEntities(p);
    expect(all.has(ref("group", "core"))).toBe(false);
    expect(all.get(ref("group", "lead")).spec.children).toEqual([]);
    expect(all.get(ref("user", "ben")).spec.memberOf).toEqual([]);
  });
});

describe("team webhooks", () => {
  it("created adds a Group under its parent", async () => {
    const { p, o, org, ref } = await importedOrg();
    await sendAndSettle(o.createTeam(org, `${p} Tools`, { parent: `${p}-lead`, description: "Internal tools" }));
    const all = await orgEntities(p);
    expect(all.get(ref("group", "tools"))).toMatchObject({ metadata: { description: "Internal tools" }, spec: { parent: `${p}-lead`, children: [], members: [] } });
    expect(all.get(ref("group", "lead")).spec.children).toEqual([`${p}-core`, `${p}-tools`]);
  });

  it("a rename replaces the Group: the old entity goes, the new one comes, members and child teams follow", async () => {
    const { p, o, org, ref } = await importedOrg();
    await sendAndSettle(o.createTeam(org, `${p} Sub`, { parent: `${p}-core` }));
    const [status] = await sendAndSettle(o.renameTeam(org, `${p}-core`, `${p} Kernel`));
    expect(status.detail).toMatch(/1 added, \d+ updated, 1 removed/);
    const all = await orgEntities(p);
    expect(all.has(ref("group", "core"))).toBe(false);
    expect(all.get(ref("group", "kernel"))).toMatchObject({
      metadata: { annotations: { "github.com/team-slug": `${org}/${p}-kernel` } },
      spec: { profile: { displayName: `${p} Kernel` }, parent: `${p}-lead`, children: [`${p}-sub`], members: [`${p}-ben`] },
    });
    expect(all.get(ref("user", "ben")).spec.memberOf).toEqual([`${p}-kernel`]);
    expect(all.get(ref("group", "sub")).spec.parent).toBe(`${p}-kernel`);
    expect(all.get(ref("group", "lead")).spec.children).toEqual([`${p}-kernel`]);
    expect(relationsOf(all.get(ref("group", "lead")))).toEqual([`hasMember ${ref("user", "ann")}`, `parentOf ${ref("group", "kernel")}`]);
  });

  it("a move under another parent changes parent and children, and the direct members of the old and new parents", async () => {
    const { p, o, org, ref } = await importedOrg();
    await sendAndSettle([...o.createTeam(org, `${p} Other`), ...o.addTeamMember(org, `${p}-other`, `${p}-cy`)]);
    await sendAndSettle(o.moveTeam(org, `${p}-core`, `${p}-other`));
    let all = await orgEntities(p);
    expect(all.get(ref("group", "core")).spec.parent).toBe(`${p}-other`);
    expect(all.get(ref("group", "lead")).spec.children).toEqual([]);
    expect(all.get(ref("group", "other")).spec).toMatchObject({ children: [`${p}-core`], members: [`${p}-cy`] });
    expect(all.get(ref("group", "lead")).spec.members).toEqual([`${p}-ann`]);

    // ben, a direct member of `other` too, shows under `core` only while `core` is its child (GitHub lists
    // core's members under other); once core moves back to the top level he is a direct member again.
    await sendAndSettle(o.addTeamMember(org, `${p}-other`, `${p}-ben`));
    await sendAndSettle(o.moveTeam(org, `${p}-core`, null));
    all = await orgEntities(p);
    expect(all.get(ref("group", "core")).spec.parent).toBeUndefined();
    expect(all.get(ref("group", "other")).spec).toMatchObject({ children: [], members: [`${p}-ben`, `${p}-cy`] });
  });

  it("deleted removes the Group and, as GitHub deletes them too, its child teams", async () => {
    const { p, o, org, ref } = await importedOrg();
    await sendAndSettle(o.createTeam(org, `${p} Sub`, { parent: `${p}-core` }));
    const [status] = await sendAndSettle(o.deleteTeam(org, `${p}-core`));
    expect(status.detail).toContain("2 removed");
    const all = await orgEntities(p);
    expect(all.has(ref("group", "core"))).toBe(false);
    expect(all.has(ref("group", "sub"))).toBe(false);
    expect(all.get(ref("group", "lead")).spec.children).toEqual([]);
    expect(all.get(ref("user", "ben")).spec.memberOf).toEqual([]);
  });

  it("an edited description updates the Group; repository access changes are not org data", async () => {
    const { p, o, org, ref } = await importedOrg();
    await sendAndSettle(o.describeTeam(org, `${p}-lead`, "The leads"));
    expect((await orgEntities(p)).get(ref("group", "lead")).metadata.description).toBe("The leads");
    const org0 = o.findOrg(org)!;
    const { res, id } = await deliver("team", { ...teamAddedToRepository, organization: { ...teamAddedToRepository.organization, id: org0.id, login: org } });
    expect(res.status).toBe(200);
    expect((await settled(id)).status).toBe("ignored");
  });
});

describe("member webhooks", () => {
  it("reads an org member's profile again when they are added as a collaborator", async () => {
    const { p, o, org, ref } = await importedOrg();
    o.user(`${p}-ann`, { name: "Ann Again", bio: "New bio" });
    await sendAndSettle(o.addCollaborator(org, `${p}-ann`));
    const ann = (await orgEntities(p)).get(ref("user", "ann"));
    expect(ann).toMatchObject({ metadata: { description: "New bio" }, spec: { profile: { displayName: "Ann Again" }, memberOf: [`${p}-lead`] } });
  });

  it("ignores collaborators of repositories outside an organization (the real payload)", async () => {
    const { res, id } = await deliver("member", memberEdited);
    expect(res.status).toBe(200);
    expect(await settled(id)).toMatchObject({ status: "ignored", detail: expect.stringContaining("outside an organization") });
  });
});

describe("bad org payloads", () => {
  it("answers 400 when an org event carries no organization", async () => {
    const { organization: _, ...rest } = memberInvited;
    const { res, body } = await deliver("organization", { ...rest, action: "member_added" });
    expect(res.status).toBe(400);
    expect(body.error.message).toContain("'organization' must carry id and login");
  });
});
