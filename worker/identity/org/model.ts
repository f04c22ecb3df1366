/**
 * An organization's teams and people → Group and User entities, the way Backstage's GitHub org provider
 * shapes them (defaultOrganizationTeamTransformer, defaultUserTransformer, buildOrgHierarchy,
 * assignGroupsToUsers, withLocations). Pure: no I/O.
 */
import type { Entity } from "../../catalog/types";
import { ANNOTATION_EDIT_URL, ANNOTATION_LOCATION, ANNOTATION_ORIGIN_LOCATION } from "../../catalog/location-url";

export const ANNOTATION_TEAM_SLUG = "github.com/team-slug";
export const ANNOTATION_USER_LOGIN = "github.com/user-login";

export interface OrgTeam {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  parentId: number | null;
}

export interface OrgPerson {
  login: string;
  userId: number | null;
  name: string | null;
  email: string | null;
  bio: string | null;
  avatarUrl: string | null;
}

export interface OrgSnapshot {
  org: { id: number; login: string };
  teams: OrgTeam[];
  people: OrgPerson[];
  /** [team id, login]: a team's members as GitHub's REST API lists them, its child teams' members included. */
  teamMembers: [number, string][];
}

/**
 * The catalog file every entity of an org is written under. Like Backstage's provider-scoped location key
 * (`github-org-provider:<id>`), not a URL: nothing can register it as a location and read it as a file.
 */
export function orgLocationKey(login: string): string {
  return `github-org-provider:${login.toLowerCase()}`;
}

const byKey = <T>(key: (t: T) => string) => (a: T, b: T) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0);

/** A team's parent chain, nearest first; stops at a parent GitHub did not list and at a cycle. */
export function ancestorsOf(teams: readonly OrgTeam[], id: number): number[] {
  const byId = new Map(teams.map((t) => [t.id, t]));
  const out: number[] = [];
  let parent = byId.get(id)?.parentId ?? null;
  while (parent !== null && byId.has(parent) && parent !== id && !out.includes(parent)) {
    out.push(parent);
    parent = byId.get(parent)!.parentId;
  }
  return out;
}

/**
 * Each team's direct members, as Backstage reads them (GraphQL `membership: IMMEDIATE`). The REST list of
 * a team includes its child teams' members, so those are taken out again: someone who is a direct member
 * of both a team and its child shows under the child only, and still belongs to the parent through it.
 * Only logins that are members of the org count.
 */
export function directMembers(s: OrgSnapshot): Map<number, string[]> {
  const people = new Map(s.people.map((p) => [p.login.toLowerCase(), p.login]));
  const listed = new Map<number, Set<string>>(s.teams.map((t) => [t.id, new Set()]));
  for (const [teamId, login] of s.teamMembers) listed.get(teamId)?.add(login.toLowerCase());
  const children = new Map<number, number[]>();
  for (const t of s.teams) if (t.parentId !== null && listed.has(t.parentId)) children.set(t.parentId, [...(children.get(t.parentId) ?? []), t.id]);
  const out = new Map<number, string[]>();
  for (const t of s.teams) {
    const inherited = new Set((children.get(t.id) ?? []).flatMap((c) => [...listed.get(c)!]));
    const direct = [...listed.get(t.id)!].filter((l) => !inherited.has(l) && people.has(l)).map((l) => people.get(l)!);
    out.set(t.id, direct.sort());
  }
  return out;
}

/** Groups (by slug) then users (by login), each with sorted ref lists, so a render is deterministic. */
export function renderOrgEntities(s: OrgSnapshot, webUrl: string): Entity[] {
  const org = s.org.login;
  const teams = [...s.teams].sort(byKey((t) => t.slug));
  const byId = new Map(teams.map((t) => [t.id, t]));
  const members = directMembers(s);
  const teamsOf = new Map<string, string[]>();
  for (const t of teams) for (const login of members.get(t.id)!) teamsOf.set(login, [...(teamsOf.get(login) ?? []), t.slug]);

  const groups: Entity[] = teams.map((t) => {
    // Backstage points managed-by-location (and origin) of each entity at its page on GitHub.
    const location = `url:${webUrl}/orgs/${org}/teams/${t.slug}`;
    const annotations: Record<string, string> = {
      [ANNOTATION_LOCATION]: location,
      [ANNOTATION_ORIGIN_LOCATION]: location,
      [ANNOTATION_TEAM_SLUG]: `${org}/${t.slug}`,
      [ANNOTATION_EDIT_URL]: `${webUrl}/orgs/${org}/teams/${t.slug}/edit`,
    };
    const parent = t.parentId !== null ? byId.get(t.parentId) : undefined;
    const spec: Record<string, unknown> = {
      type: "team",
      profile: { displayName: t.name },
      ...(parent ? { parent: parent.slug } : {}),
      children: teams.filter((c) => c.parentId === t.id).map((c) => c.slug),
      members: members.get(t.id)!,
    };
    return {
      apiVersion: "backstage.io/v1alpha1",
      kind: "Group",
      metadata: { name: t.slug, ...(t.description ? { description: t.description } : {}), annotations },
      spec,
    };
  });

  const users: Entity[] = [...s.people].sort(byKey((p) => p.login.toLowerCase())).map((p) => {
    const location = `url:${webUrl}/${p.login}`;
    const profile: Record<string, string> = {};
    if (p.name) profile.displayName = p.name;
    if (p.email) profile.email = p.email;
    if (p.avatarUrl) profile.picture = p.avatarUrl;
    return {
      apiVersion: "backstage.io/v1alpha1",
      kind: "User",
      metadata: {
        name: p.login,
        ...(p.bio ? { description: p.bio } : {}),
        annotations: { [ANNOTATION_LOCATION]: location, [ANNOTATION_ORIGIN_LOCATION]: location, [ANNOTATION_USER_LOGIN]: p.login },
      },
      spec: { profile, memberOf: (teamsOf.get(p.login) ?? []).sort() },
    };
  });
  return [...groups, ...users];
}
