/**
 * Backfill of an org's teams and people (POST /api/github/imports with `orgData`, `npm run import --
 * --org-data <org>`): the import job lists the teams and the members, replaces the org's snapshot with
 * them and writes the entities; then batches of at most BATCH_READS team member lists and public profiles
 * are read, each batch rewriting the entities as it lands. Progress goes to github_imports: `files` count
 * the teams and people read, `repos` the batches, so the import is done when its last batch is.
 */
import { ApiError } from "../../errors";
import { enqueue, enqueueAll } from "../../jobs/enqueue";
import { addImportFiles, addImportRepos, createImport, failImport, markImportRepoDone, type ImportProgress } from "../../ingestion/store/imports";
import { readGithubConfig } from "../../github/config";
import { GithubApiError } from "../../github/errors";
import type { OrgJob } from "./jobs";
import { clientForOrg } from "./client";
import { getOrg, getProfile, listOrgMembers, listTeamMembers, listTeams } from "./github-api";
import type { OrgPerson } from "./model";
import { getOrgRow, replaceListing, replaceTeamMembers, savePeople, saveOrgRow, type OrgRow } from "./store";
import { withOrgLease, writeOrgEntities } from "./write";

type ImportJob = Extract<OrgJob, { type: "github-org-import" }>;
type BatchJob = Extract<OrgJob, { type: "github-org-batch" }>;

/** GitHub calls per batch job: well under the subrequests one Worker invocation may make. */
export const BATCH_READS = 100;
const ORG = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/;
/** Prefix of an org-data import's target in github_imports, so the list tells it from a repo import. */
export const ORG_DATA_TARGET = "org-data:";

/** Starts an org-data import; the target must be an organization's login. */
export async function startOrgImport(env: Env, target: string): Promise<ImportProgress> {
  const org = target.trim();
  if (!ORG.test(org)) throw new ApiError("InputError", `Invalid target '${target}': org data is read from an organization, e.g. 'acme'`);
  const progress = await createImport(env.DB, `${ORG_DATA_TARGET}${org}`);
  await enqueue(env, { type: "github-org-import", importId: progress.id, org });
  return progress;
}


/**
 * A 4xx from GitHub (no permission to read members, bad credentials) ends the import with GitHub's
 * message, so `npm run import` says why instead of waiting; the job still dead-letters for a replay.
 */
async function failOnRefusal<T>(db: D1Database, importId: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (err) {
    if (err instanceof GithubApiError) await failImport(db, importId, err.message);
    throw err;
  }
}

export const handleOrgImport = (env: Env, job: ImportJob) => failOnRefusal(env.DB, job.importId, () => runImport(env, job));
export const handleOrgBatch = (env: Env, job: BatchJob) => failOnRefusal(env.DB, job.importId, () => runBatch(env, job));

async function runImport(env: Env, job: ImportJob): Promise<void> {
  const db = env.DB;
  const client = await clientForOrg(env, job.org, job.installationId ?? null);
  if (!client) return failImport(db, job.importId, `The GitHub App is not installed on ${job.org}`);
  const gh = await getOrg(client, job.org);
  if (!gh) return failImport(db, job.importId, `No organization named ${job.org} on GitHub, or no access to it`);
  const known = await getOrgRow(db, gh.id);
  const org: OrgRow = { id: gh.id, login: gh.login, installationId: client.installationId };
  await saveOrgRow(db, org);
  const listing = await withOrgLease(db, org.id, async () => {
    const [teams, members] = [await listTeams(client, org.login), await listOrgMembers(client, org.login)];
    if (!teams || !members) return null;
    await replaceListing(db, org.id, teams, members);
    // An org renamed since it was last imported moves to its new key.
    const report = await writeOrgEntities(db, readGithubConfig(env).webUrl, org, known?.login);
    return { teams, members, report };
  });
  if (!listing) return failImport(db, job.importId, `No access to the teams and members of ${org.login} on GitHub`);
  const units = [...listing.teams.map((t) => ({ team: t.id })), ...listing.members.map((m) => ({ login: m.login }))];
  const batches: BatchJob[] = [];
  for (let i = 0; i < units.length; i += BATCH_READS) {
    const slice = units.slice(i, i + BATCH_READS);
    batches.push({
      type: "github-org-batch",
      importId: job.importId,
      orgId: org.id,
      teamIds: slice.flatMap((u) => ("team" in u ? [u.team] : [])),
      logins: slice.flatMap((u) => ("login" in u ? [u.login] : [])),
    });
  }
  await enqueueAll(env.JOBS, batches);
  const { report } = listing;
  await addImportFiles(db, job.importId, { total: units.length, entities: report.added.length + report.updated.length + report.unchanged.length, errors: report.rejected.length });
  await addImportRepos(db, job.importId, batches.length, true);
}

async function runBatch(env: Env, job: BatchJob): Promise<void> {
  const db = env.DB;
  const org = await getOrgRow(db, job.orgId);
  if (org) {
    const client = await clientForOrg(env, org.login, org.installationId);
    if (!client) return failImport(db, job.importId, `The GitHub App is no longer installed on ${org.login}`);
    await withOrgLease(db, org.id, async () => {
      for (const teamId of job.teamIds) {
        const logins = await listTeamMembers(client, org.id, teamId);
        // A team deleted since the listing: the team event that says so removes it.
        if (logins) await replaceTeamMembers(db, org.id, teamId, logins);
      }
      const people: OrgPerson[] = [];
      for (const login of job.logins) {
        const p = await getProfile(client, login);
        if (p) people.push({ login: p.login, userId: p.id, name: p.name, email: p.email, bio: p.bio, avatarUrl: p.avatarUrl });
      }
      await savePeople(db, org.id, people, { onlyMembers: true });
      await writeOrgEntities(db, readGithubConfig(env).webUrl, org);
    });
  }
  await addImportFiles(db, job.importId, { done: job.teamIds.length + job.logins.length });
  await markImportRepoDone(db, job.importId);
}
