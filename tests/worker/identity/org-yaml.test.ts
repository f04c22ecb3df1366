/**
 * Org data next to Groups and Users from YAML: they merge through ordinary refs, and the same ref from
 * both is a ConflictError on the later file, never an overwrite (the catalog's first-claim rule).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getJson, ingest, yamlDocs } from "../helpers";
import { installFakeGithub, quiesce } from "../ingestion/github-helpers";
import type { FakeGithub } from "../../fake-github/app.mjs";
import { importOrgData, orgEntities, prefix, processingErrors, relationsOf, sendAndSettle } from "./org-helpers";

let fake: FakeGithub;
beforeAll(() => {
  fake = installFakeGithub();
});
afterAll(() => quiesce(fake));

const group = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name }, spec: { type: "squad", children: [], ...spec } });
const user = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: "backstage.io/v1alpha1", kind: "User", metadata: { name }, spec: { memberOf: [], ...spec } });

function org(p: string) {
  const o = fake.model.orgs;
  const login = `${p}-org`;
  o.createOrg(login);
  for (const who of ["amy", "bo"]) {
    o.user(`${p}-${who}`, { name: who });
    o.addMember(login, `${p}-${who}`);
  }
  o.createTeam(login, `${p} Platform`);
  o.addTeamMember(login, `${p}-platform`, `${p}-amy`);
  return login;
}

const byName = async (kind: string, name: string) => (await getJson(`/api/catalog/entities/by-name/${kind}/default/${name}`)).body;

describe("org data and YAML", () => {
  it("a Group from YAML that GitHub also has stays as written: the org's copy is a ConflictError on the org's file, also after later org events", async () => {
    const p = prefix();
    const login = org(p);
    const root = `/${p}/teams`;
    await ingest(root, { [`${root}/platform.yaml`]: yamlDocs(group(`${p}-platform`, { profile: { displayName: "Platform (YAML)" }, members: [`${p}-amy`] })) });
    const done = await importOrgData(login);
    expect(done).toMatchObject({ status: "done", entities: 2, errors: 1 });

    const key = `github-org-provider:${login}`;
    const check = async () => {
      const errors = await processingErrors(key);
      expect(errors).toEqual([expect.objectContaining({ name: "ConflictError", message: expect.stringContaining(`group:default/${p}-platform is already provided by file:${root}/platform.yaml`) })]);
      const yamlGroup = await byName("group", `${p}-platform`);
      expect(yamlGroup.spec).toEqual({ type: "squad", children: [], profile: { displayName: "Platform (YAML)" }, members: [`${p}-amy`] });
      expect(yamlGroup.metadata.annotations["backstage.io/managed-by-location"]).toBe(`file:${root}/platform.yaml`);
      expect(yamlGroup.metadata.annotations["github.com/team-slug"]).toBeUndefined();
    };
    await check();
    // The org's Users still point at the team by name, so they meet the YAML Group.
    const amy = (await orgEntities(p)).get(`user:default/${p}-amy`);
    expect(amy.spec.memberOf).toEqual([`${p}-platform`]);
    expect(relationsOf(await byName("group", `${p}-platform`))).toContain(`hasMember user:default/${p}-amy`);

    // Another org event rewrites the org's file: the clash is still reported and the YAML Group untouched.
    fake.model.orgs.user(`${p}-cal`);
    await sendAndSettle([...fake.model.orgs.addMember(login, `${p}-cal`), ...fake.model.orgs.addTeamMember(login, `${p}-platform`, `${p}-cal`)]);
    await check();
    expect((await orgEntities(p)).get(`user:default/${p}-cal`).spec.memberOf).toEqual([`${p}-platform`]);
  });

  it("a User from YAML named as a GitHub login, loaded after the import, is the YAML file's ConflictError; the GitHub User stays", async () => {
    const p = prefix();
    const login = org(p);
    await importOrgData(login);
    const root = `/${p}/people`;
    const res = await ingest(root, { [`${root}/bo.yaml`]: yamlDocs(user(`${p}-bo`, { profile: { displayName: "Bo from YAML" } })) });
    expect(res.files[0].rejected).toEqual([expect.objectContaining({ name: "ConflictError", message: expect.stringContaining(`github-org-provider:${login}`) })]);
    const bo = await byName("user", `${p}-bo`);
    expect(bo.spec.profile.displayName).toBe("bo");
    expect(bo.metadata.annotations["github.com/user-login"]).toBe(`${p}-bo`);
    expect(await processingErrors(`github-org-provider:${login}`)).toEqual([]);
  });

  it("YAML Users and Groups that do not clash merge with org data through their refs", async () => {
    const p = prefix();
    const login = org(p);
    await importOrgData(login);
    const root = `/${p}/more`;
    await ingest(root, {
      [`${root}/people.yaml`]: yamlDocs(user(`${p}-contractor`, { memberOf: [`${p}-platform`] }), group(`${p}-guild`, { members: [`${p}-amy`], parent: `${p}-platform` })),
    });
    const platform = (await orgEntities(p)).get(`group:default/${p}-platform`);
    expect(relationsOf(platform)).toEqual([`hasMember user:default/${p}-amy`, `hasMember user:default/${p}-contractor`, `parentOf group:default/${p}-guild`]);
    expect(relationsOf((await orgEntities(p)).get(`user:default/${p}-amy`))).toEqual([`memberOf group:default/${p}-guild`, `memberOf group:default/${p}-platform`]);
  });
});
