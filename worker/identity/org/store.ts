/**
 * github_orgs and the org snapshot tables (github_org_teams, github_org_members, github_org_team_members):
 * every query organization data makes. Multi-row writes are one D1 batch each, so a job never leaves a
 * half-written snapshot behind.
 */
import type { OrgPerson, OrgSnapshot, OrgTeam } from "./model";

export interface OrgRow {
  id: number;
  login: string;
  installationId: number | null;
}

const ORG_COLUMNS = "id, login, installation_id AS installationId";

export async function getOrgRow(db: D1Database, id: number): Promise<OrgRow | null> {
  return db.prepare(`SELECT ${ORG_COLUMNS} FROM github_orgs WHERE id = ?`).bind(id).first<OrgRow>();
}

/** Records an imported org (or its new login or installation), keyed by GitHub's id. */
export async function saveOrgRow(db: D1Database, org: OrgRow): Promise<void> {
  const now = Date.now();
  await db
    .prepare(
      `INSERT INTO github_orgs (id, login, installation_id, created_at, updated_at) VALUES (?1, ?2, ?3, ?4, ?4)
       ON CONFLICT(id) DO UPDATE SET login = excluded.login, installation_id = excluded.installation_id, updated_at = excluded.updated_at`,
    )
    .bind(org.id, org.login, org.installationId, now)
    .run();
}

/** Forgets an org and everything read from it. */
export async function deleteOrgRows(db: D1Database, id: number): Promise<void> {
  await db.batch(["github_org_team_members", "github_org_members", "github_org_teams"].map((t) => db.prepare(`DELETE FROM ${t} WHERE org_id = ?`).bind(id)).concat(db.prepare("DELETE FROM github_orgs WHERE id = ?").bind(id)));
}

/** Takes the org's lease if it is free or expired; the conditional UPDATE is the lock (one caller sees a change). */
export async function acquireOrgLease(db: D1Database, id: number, owner: string, ttlMs: number): Promise<boolean> {
  const now = Date.now();
  const res = await db
    .prepare("UPDATE github_orgs SET lease_owner = ?, lease_until = ? WHERE id = ? AND (lease_until IS NULL OR lease_until < ? OR lease_owner = ?)")
    .bind(owner, now + ttlMs, id, now, owner)
    .run();
  return res.meta.changes === 1;
}

export async function releaseOrgLease(db: D1Database, id: number, owner: string): Promise<void> {
  await db.prepare("UPDATE github_orgs SET lease_owner = NULL, lease_until = NULL WHERE id = ? AND lease_owner = ?").bind(id, owner).run();
}

export async function loadOrgSnapshot(db: D1Database, org: OrgRow): Promise<OrgSnapshot> {
  const [teams, people, members] = await db.batch([
    db.prepare("SELECT id, slug, name, description, parent_id AS parentId FROM github_org_teams WHERE org_id = ?").bind(org.id),
    db.prepare("SELECT login, user_id AS userId, name, email, bio, avatar_url AS avatarUrl FROM github_org_members WHERE org_id = ?").bind(org.id),
    db.prepare("SELECT team_id AS teamId, login FROM github_org_team_members WHERE org_id = ?").bind(org.id),
  ]);
  return {
    org: { id: org.id, login: org.login },
    teams: teams.results as unknown as OrgTeam[],
    people: people.results as unknown as OrgPerson[],
    teamMembers: (members.results as { teamId: number; login: string }[]).map((r) => [r.teamId, r.login]),
  };
}

/** Statements that make the org's team list exactly `teams`; member lists of teams that went are dropped. */
function teamStatements(db: D1Database, orgId: number, teams: readonly OrgTeam[]): D1PreparedStatement[] {
  const ids = JSON.stringify(teams.map((t) => t.id));
  return [
    db.prepare("DELETE FROM github_org_team_members WHERE org_id = ?1 AND team_id NOT IN (SELECT value FROM json_each(?2))").bind(orgId, ids),
    db.prepare("DELETE FROM github_org_teams WHERE org_id = ?1 AND id NOT IN (SELECT value FROM json_each(?2))").bind(orgId, ids),
    db
      .prepare(
        `INSERT INTO github_org_teams (org_id, id, slug, name, description, parent_id)
         SELECT ?1, j.value->>'id', j.value->>'slug', j.value->>'name', j.value->>'description', j.value->>'parentId'
         FROM json_each(?2) j WHERE true
         ON CONFLICT(org_id, id) DO UPDATE SET slug = excluded.slug, name = excluded.name, description = excluded.description,
           parent_id = excluded.parent_id`,
      )
      .bind(orgId, JSON.stringify(teams)),
  ];
}

export async function replaceTeams(db: D1Database, orgId: number, teams: readonly OrgTeam[]): Promise<void> {
  await db.batch(teamStatements(db, orgId, teams));
}

/**
 * An import's listing: the org's teams and its members become exactly these. Known members keep the
 * profile read before until their batch reads it again; people who left go with their team memberships.
 */
export async function replaceListing(db: D1Database, orgId: number, teams: readonly OrgTeam[], members: readonly { login: string; id: number; avatarUrl: string | null }[]): Promise<void> {
  const logins = JSON.stringify(members.map((m) => m.login));
  await db.batch([
    ...teamStatements(db, orgId, teams),
    db.prepare("DELETE FROM github_org_team_members WHERE org_id = ?1 AND login NOT IN (SELECT value FROM json_each(?2))").bind(orgId, logins),
    db.prepare("DELETE FROM github_org_members WHERE org_id = ?1 AND login NOT IN (SELECT value FROM json_each(?2))").bind(orgId, logins),
    db
      .prepare(
        `INSERT INTO github_org_members (org_id, login, user_id, avatar_url)
         SELECT ?1, j.value->>'login', j.value->>'id', j.value->>'avatarUrl' FROM json_each(?2) j WHERE true
         ON CONFLICT(org_id, login) DO UPDATE SET user_id = excluded.user_id, avatar_url = excluded.avatar_url`,
      )
      .bind(orgId, JSON.stringify(members)),
  ]);
}

/** A team's member list (as GitHub lists it) becomes exactly `logins`. */
export async function replaceTeamMembers(db: D1Database, orgId: number, teamId: number, logins: readonly string[]): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM github_org_team_members WHERE org_id = ? AND team_id = ?").bind(orgId, teamId),
    db
      .prepare("INSERT OR IGNORE INTO github_org_team_members (org_id, team_id, login) SELECT ?1, ?2, value FROM json_each(?3)")
      .bind(orgId, teamId, JSON.stringify(logins)),
  ]);
}

/**
 * Writes people's profiles. `onlyMembers` updates just the people already listed as members: an import's
 * batch must not bring back someone who left while it ran.
 */
export async function savePeople(db: D1Database, orgId: number, people: readonly OrgPerson[], opts: { onlyMembers: boolean }): Promise<void> {
  if (!people.length) return;
  const guard = opts.onlyMembers ? "WHERE EXISTS (SELECT 1 FROM github_org_members m WHERE m.org_id = ?1 AND m.login = j.value->>'login')" : "WHERE true";
  await db
    .prepare(
      `INSERT INTO github_org_members (org_id, login, user_id, name, email, bio, avatar_url)
       SELECT ?1, j.value->>'login', j.value->>'userId', j.value->>'name', j.value->>'email', j.value->>'bio', j.value->>'avatarUrl'
       FROM json_each(?2) j ${guard}
       ON CONFLICT(org_id, login) DO UPDATE SET user_id = excluded.user_id, name = excluded.name, email = excluded.email,
         bio = excluded.bio, avatar_url = excluded.avatar_url`,
    )
    .bind(orgId, JSON.stringify(people))
    .run();
}

/** Someone left the org: GitHub takes them off every team too. */
export async function removePerson(db: D1Database, orgId: number, login: string): Promise<void> {
  await db.batch([
    db.prepare("DELETE FROM github_org_team_members WHERE org_id = ? AND lower(login) = lower(?)").bind(orgId, login),
    db.prepare("DELETE FROM github_org_members WHERE org_id = ? AND lower(login) = lower(?)").bind(orgId, login),
  ]);
}
