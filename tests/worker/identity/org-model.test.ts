/** The pure org → entities model: direct members from GitHub's inclusive lists, parent chains, rendering. */
import { describe, expect, it } from "vitest";
import { ancestorsOf, directMembers, orgLocationKey, renderOrgEntities, type OrgSnapshot, type OrgTeam } from "../../../worker/identity/org/model";
import { processOrgEntities } from "../../../worker/identity/org/process";

const team = (id: number, slug: string, parentId: number | null = null): OrgTeam => ({ id, slug, name: slug.toUpperCase(), description: null, parentId });
const person = (login: string) => ({ login, userId: 1, name: null, email: null, bio: null, avatarUrl: null });

describe("org model", () => {
  const snapshot: OrgSnapshot = {
    org: { id: 1, login: "Acme" },
    teams: [team(1, "eng"), team(2, "web", 1), team(3, "infra", 2)],
    people: ["Ann", "bo", "cy"].map(person),
    // As GitHub's REST API lists them: a team's list holds its child teams' members too.
    teamMembers: [
      [1, "Ann"], [1, "bo"], [1, "cy"],
      [2, "bo"], [2, "cy"],
      [3, "cy"],
      [3, "ghost"], // listed, but not a member of the org
    ],
  };

  it("takes a child team's members out of its parent's list, so each Group has its direct members", () => {
    expect(directMembers(snapshot)).toEqual(new Map([[1, ["Ann"]], [2, ["bo"]], [3, ["cy"]]]));
  });

  it("walks parent chains nearest first and stops at a cycle or a parent GitHub did not list", () => {
    expect(ancestorsOf(snapshot.teams, 3)).toEqual([2, 1]);
    expect(ancestorsOf([team(1, "a", 2), team(2, "b", 1)], 1)).toEqual([2]);
    expect(ancestorsOf([team(1, "a", 99)], 1)).toEqual([]);
  });

  it("renders valid entities in a stable order, keyed by the org's lower-cased login", () => {
    const entities = renderOrgEntities(snapshot, "https://github.com");
    expect(entities.map((e) => `${e.kind}:${e.metadata.name}`)).toEqual(["Group:eng", "Group:infra", "Group:web", "User:Ann", "User:bo", "User:cy"]);
    expect(renderOrgEntities({ ...snapshot, teams: [...snapshot.teams].reverse(), people: [...snapshot.people].reverse() }, "https://github.com")).toEqual(entities);
    expect(entities[0].metadata.annotations!["github.com/team-slug"]).toBe("Acme/eng");
    const file = processOrgEntities(orgLocationKey("Acme"), entities);
    expect(file).toMatchObject({ locationKey: "github-org-provider:acme", problems: [], complete: true });
    expect(file.entities).toHaveLength(6);
  });

  it("reports an entity GitHub data cannot make valid as a problem on the org's file and keeps its last version", () => {
    const long = "x".repeat(70);
    const file = processOrgEntities("github-org-provider:acme", renderOrgEntities({ ...snapshot, teams: [team(9, long)], teamMembers: [] }, "https://github.com"));
    expect(file.problems).toEqual([expect.objectContaining({ entityRef: `group:default/${long}`, field: "metadata.name", location: "github-org-provider:acme" })]);
    expect(file.keepRefs).toEqual([`group:default/${long}`]);
    expect(file.entities.map((e) => e.ref)).toEqual(["user:default/ann", "user:default/bo", "user:default/cy"]);
  });
});
