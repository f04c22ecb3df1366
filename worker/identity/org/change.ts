/**
 * Keeps an imported org fresh from its webhooks. Each change job re-reads from GitHub what its event may
 * have changed, under the org's lease, then rewrites the org's entities: the event says where to look,
 * GitHub says what is true now. So a late, repeated or reordered delivery converges on GitHub's state,
 * and a removal (a person leaving, a team deleted) is applied only when GitHub confirms it.
 */
import { readGithubConfig } from "../../github/config";
import type { GithubClient } from "../../github/client";
import type { OrgJob } from "./jobs";
import { clientForOrg } from "./client";
import { getOrgById, getProfile, isOrgMember, listTeamMembers, listTeams } from "./github-api";
import { ancestorsOf } from "./model";
import { getOrgRow, loadOrgSnapshot, removePerson, replaceTeamMembers, replaceTeams, savePeople, saveOrgRow, type OrgRow } from "./store";
import { describeReport, removeOrgEntities, withOrgLease, writeOrgEntities } from "./write";

type ChangeJob = Extract<OrgJob, { type: "github-org-change" }>;

interface Ctx {
  db: D1Database;
  client: GithubClient;
  org: OrgRow;
}

/**
 * A member joined, left, or was touched as a collaborator: they are a User exactly while GitHub lists them.
 * Leaving takes them off every team; someone who left and came back before this job ran is on none of
 * their old teams any more, so the teams the snapshot has them in are read again.
 */
async function reconcilePerson(ctx: Ctx, login: string): Promise<void> {
  const { db, client, org } = ctx;
  const profile = (await isOrgMember(client, org.login, login)) ? await getProfile(client, login) : null;
  if (!profile) return removePerson(db, org.id, login);
  await savePeople(db, org.id, [{ login: profile.login, userId: profile.id, name: profile.name, email: profile.email, bio: profile.bio, avatarUrl: profile.avatarUrl }], { onlyMembers: false });
  const listed = (await loadOrgSnapshot(db, org)).teamMembers.filter(([, l]) => l.toLowerCase() === login.toLowerCase()).map(([id]) => id);
  if (await refreshMembers(ctx, listed)) await reconcileTeams(ctx);
}

/** Reads the teams' member lists again; answers whether GitHub no longer has some of the teams. */
async function refreshMembers({ db, client, org }: Ctx, teamIds: Iterable<number>): Promise<boolean> {
  let gone = false;
  for (const id of new Set(teamIds)) {
    const logins = await listTeamMembers(client, org.id, id);
    if (logins) await replaceTeamMembers(db, org.id, id, logins);
    else gone = true;
  }
  return gone;
}

/**
 * The team list as GitHub has it now. A team's member list includes its child teams' members, so a team
 * that appeared, went, or moved changes the lists of its parents (before and after the move): those are
 * read again, with every new team's own list. A rename changes no list.
 */
async function reconcileTeams(ctx: Ctx): Promise<void> {
  const fresh = await listTeams(ctx.client, ctx.org.login);
  if (!fresh) return;
  const old = (await loadOrgSnapshot(ctx.db, ctx.org)).teams;
  const oldById = new Map(old.map((t) => [t.id, t]));
  const freshIds = new Set(fresh.map((t) => t.id));
  const moved = [...fresh.filter((t) => oldById.get(t.id)?.parentId !== t.parentId).map((t) => t.id), ...old.filter((t) => !freshIds.has(t.id)).map((t) => t.id)];
  const reread = [
    ...fresh.filter((t) => !oldById.has(t.id)).map((t) => t.id),
    ...moved.flatMap((id) => [...ancestorsOf(old, id), ...ancestorsOf(fresh, id)]).filter((id) => freshIds.has(id)),
  ];
  await replaceTeams(ctx.db, ctx.org.id, fresh);
  await refreshMembers(ctx, reread);
}

/**
 * Someone joined or left a team: its list and its parents' lists (which include it) are read again. A team
 * not seen yet (its `team created` not processed, or lost) or gone from GitHub (a removal GitHub sends when
 * it deletes a team) is a change of the team list, which settles what it changed.
 */
async function reconcileMembership(ctx: Ctx, teamId: number, login: string): Promise<void> {
  const snapshot = await loadOrgSnapshot(ctx.db, ctx.org);
  if (!snapshot.people.some((p) => p.login.toLowerCase() === login.toLowerCase())) await reconcilePerson(ctx, login);
  if (!snapshot.teams.some((t) => t.id === teamId) || (await refreshMembers(ctx, [teamId]))) {
    await reconcileTeams(ctx);
    return;
  }
  await refreshMembers(ctx, ancestorsOf(snapshot.teams, teamId));
}

/**
 * Every change first asks GitHub for the org by id: a login that changed (its `renamed` webhook late,
 * lost, or this one) moves the org's entities to the new key before anything else is read by login.
 */
export async function handleOrgChange(env: Env, job: ChangeJob): Promise<string> {
  const db = env.DB;
  const known = await getOrgRow(db, job.org.id);
  if (!known) return `organization ${job.org.login} is not imported (npm run import -- --org-data ${job.org.login}): nothing to update`;
  const client = await clientForOrg(env, known.login, job.installationId ?? known.installationId);
  if (!client) return `organization ${known.login}: the GitHub App is not installed on it, nothing can be read`;
  const webUrl = readGithubConfig(env).webUrl;
  return withOrgLease(db, known.id, async () => {
    const stored = (await getOrgRow(db, known.id)) ?? known;
    const gh = await getOrgById(client, stored.id);
    if (!gh) {
      if (job.change.kind !== "deleted") return `organization ${stored.login} is not on GitHub (or out of reach): nothing changed until it is deleted or back`;
      const report = await removeOrgEntities(db, stored);
      return `organization ${stored.login} is gone from GitHub: ${report.removed.length} entities removed`;
    }
    if (job.change.kind === "deleted") return `organization ${gh.login} still exists on GitHub: nothing removed`;
    const org = { ...stored, login: gh.login };
    if (org.login !== stored.login) await saveOrgRow(db, org);
    const ctx: Ctx = { db, client, org };
    const { change } = job;
    if (change.kind === "member") await reconcilePerson(ctx, change.login);
    else if (change.kind === "membership") await reconcileMembership(ctx, change.teamId, change.login);
    else if (change.kind === "teams") await reconcileTeams(ctx);
    return describeReport(org.login, await writeOrgEntities(db, webUrl, org, stored.login));
  });
}
