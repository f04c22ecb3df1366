/**
 * The GitHub REST calls organization data needs, trimmed to the fields it uses. A missing resource is
 * null. Team members are read by team id (GitHub's `/organizations/{org_id}/team/{team_id}` form), so a
 * team renamed between two calls is still found.
 */
import type { GithubClient } from "../../github/client";
import { GithubApiError } from "../../github/errors";

export interface GhOrg {
  id: number;
  login: string;
}

export interface GhTeam {
  id: number;
  slug: string;
  name: string;
  description: string | null;
  parentId: number | null;
}

export interface GhMember {
  login: string;
  id: number;
  avatarUrl: string | null;
}

export interface GhProfile extends GhMember {
  name: string | null;
  /** The public email; GitHub answers null when the person keeps it private. */
  email: string | null;
  bio: string | null;
}

interface UserJson {
  login: string;
  id: number;
  avatar_url?: string | null;
  name?: string | null;
  email?: string | null;
  bio?: string | null;
}

interface TeamJson {
  id: number;
  slug: string;
  name: string;
  description?: string | null;
  parent?: { id: number } | null;
}

/** 100 per page; an org with more than 100,000 members or teams is refused rather than read for ever. */
const MAX_PAGES = 1000;
const seg = encodeURIComponent;
const text = (v: unknown): string | null => (typeof v === "string" && v.trim() ? v : null);

/** Every page of a list endpoint; null when the first page is a 404, or a later one is (the list went away). */
async function listAll<T>(client: GithubClient, path: string): Promise<T[] | null> {
  const out: T[] = [];
  for (let page = 1; page <= MAX_PAGES; page++) {
    const res = await client.json<T[]>(`${path}?per_page=100&page=${page}`);
    if (!res.data) return null;
    out.push(...res.data);
    if (!/rel="next"/.test(res.headers.get("link") ?? "")) return out;
  }
  throw new GithubApiError(422, `GitHub listed more than ${MAX_PAGES} pages on ${path}`);
}

const toMember = (u: UserJson): GhMember => ({ login: u.login, id: u.id, avatarUrl: text(u.avatar_url) });

export async function getOrg(client: GithubClient, login: string): Promise<GhOrg | null> {
  const res = await client.json<{ id: number; login: string }>(`/orgs/${seg(login)}`);
  return res.data ? { id: res.data.id, login: res.data.login } : null;
}

/** By id, so an org renamed since is still found under its current login. */
export async function getOrgById(client: GithubClient, id: number): Promise<GhOrg | null> {
  const res = await client.json<{ id: number; login: string }>(`/organizations/${id}`);
  return res.data ? { id: res.data.id, login: res.data.login } : null;
}

export async function listTeams(client: GithubClient, org: string): Promise<GhTeam[] | null> {
  const teams = await listAll<TeamJson>(client, `/orgs/${seg(org)}/teams`);
  return (
    teams?.map((t) => ({ id: t.id, slug: t.slug, name: t.name, description: text(t.description), parentId: t.parent?.id ?? null })) ?? null
  );
}

/** The team's members as GitHub lists them: including the members of its child teams. */
export async function listTeamMembers(client: GithubClient, orgId: number, teamId: number): Promise<string[] | null> {
  const members = await listAll<UserJson>(client, `/organizations/${orgId}/team/${teamId}/members`);
  return members?.map((u) => u.login) ?? null;
}

export async function listOrgMembers(client: GithubClient, org: string): Promise<GhMember[] | null> {
  return (await listAll<UserJson>(client, `/orgs/${seg(org)}/members`))?.map(toMember) ?? null;
}

/** GitHub answers 204 (no body) for a member and 404 otherwise, hence a text read. */
export async function isOrgMember(client: GithubClient, org: string, login: string): Promise<boolean> {
  return (await client.text(`/orgs/${seg(org)}/members/${seg(login)}`)).data !== null;
}

export async function getProfile(client: GithubClient, login: string): Promise<GhProfile | null> {
  const res = await client.json<UserJson>(`/users/${seg(login)}`);
  const u = res.data;
  return u ? { ...toMember(u), name: text(u.name), email: text(u.email), bio: text(u.bio) } : null;
}
