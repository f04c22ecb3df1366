/**
 * Turns a verified GitHub webhook into an IngestResult, the way Backstage's analyzeGithubWebhookEvent does:
 * `ok` with the jobs to queue, `ignored` with the reason nothing changes (tag pushes, other branches,
 * branch deletions, repository actions that do not affect the catalog), or `unsupported` for events this
 * catalog does not consume. Pure: no I/O; a payload missing what its event needs is an InputError.
 */
import { ApiError } from "../errors";
import { matchesCatalogPattern, mayBeCatalogData } from "../github/patterns";
import type { GithubJob, PushChanges, RepoRef } from "./jobs";
import { analyzeOrgWebhook } from "../identity/org/webhook";

export type IngestResult =
  | { type: "ok"; jobs: GithubJob[]; summary: string; repo: string | null }
  | { type: "ignored"; reason: string; repo: string | null }
  | { type: "unsupported"; reason: string; repo: string | null };

type Json = Record<string, any>;

const ZERO_SHA = /^0{40}$/;
/** GitHub used to cut push payloads at 20 commits; a list that long may be incomplete, so the tree decides. */
export const TRUSTED_COMMITS = 20;
/** GitHub lists at most 3,000 changed files per commit. */
const FILES_PER_COMMIT_CAP = 3000;
/** Queue messages are capped at 128 KB; past this the job drops its lists and compares trees instead. */
const MAX_JOB_BYTES = 100_000;

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const bad = (event: string, what: string) => new ApiError("InputError", `Invalid ${event} payload: ${what}`);

function repoOf(event: string, p: Json): RepoRef & { defaultBranch: string } {
  const r = p.repository;
  const owner = r?.owner?.login ?? r?.owner?.name;
  if (!isObject(r) || typeof r.id !== "number" || typeof r.name !== "string" || typeof owner !== "string" || typeof r.default_branch !== "string") {
    throw bad(event, "'repository' must carry id, name, owner.login and default_branch");
  }
  const installationId = typeof p.installation?.id === "number" ? p.installation.id : null;
  return { id: r.id, owner, name: r.name, defaultBranch: r.default_branch, installationId };
}

const timeOf = (v: unknown): number | null => {
  const t = typeof v === "string" ? Date.parse(v) : NaN;
  return Number.isFinite(t) ? t : null;
};

/**
 * The push's file lists folded over its commits (the last commit touching a path decides), filtered to
 * files that may matter to the catalog; null when the lists cannot be trusted.
 */
export function foldPushChanges(p: Json, patterns: readonly string[]): PushChanges | null {
  const commits = p.commits;
  if (p.forced || p.created || !Array.isArray(commits) || commits.length === 0 || commits.length >= TRUSTED_COMMITS) return null;
  const out: PushChanges = { commits: [], upsert: [], remove: [] };
  const last = new Map<string, number | "removed">();
  for (const c of commits) {
    const lists = [c?.added, c?.modified, c?.removed];
    if (!isObject(c) || typeof c.id !== "string" || !lists.every(Array.isArray)) return null;
    if (lists.reduce((n, l) => n + l.length, 0) >= FILES_PER_COMMIT_CAP) return null;
    const index = out.commits.push({ id: c.id, time: timeOf(c.timestamp) }) - 1;
    for (const path of c.removed) last.set(String(path), "removed");
    for (const path of [...c.added, ...c.modified]) last.set(String(path), index);
  }
  for (const [path, op] of last) {
    if (!matchesCatalogPattern(path, patterns) && !mayBeCatalogData(path)) continue;
    if (op === "removed") out.remove.push(path);
    else out.upsert.push([path, op]);
  }
  return out;
}

function analyzePush(p: Json, deliveryId: string, patterns: readonly string[]): IngestResult {
  const repo = repoOf("push", p);
  const name = `${repo.owner}/${repo.name}`;
  if (typeof p.ref !== "string" || typeof p.after !== "string" || typeof p.before !== "string") throw bad("push", "'ref', 'before' and 'after' must be strings");
  if (p.ref.startsWith("refs/tags/")) return { type: "ignored", reason: `tag push ${p.ref.slice(10)}: tags do not change the catalog`, repo: name };
  const branch = p.ref.replace(/^refs\/heads\//, "");
  if (branch !== repo.defaultBranch) return { type: "ignored", reason: `push to ${branch}: only the default branch ${repo.defaultBranch} is indexed`, repo: name };
  if (p.deleted === true || ZERO_SHA.test(p.after)) return { type: "ignored", reason: `branch ${branch} was deleted: nothing to index`, repo: name };
  const actor = p.sender?.login ?? p.pusher?.name ?? null;
  const job: Extract<GithubJob, { type: "github-push" }> = {
    type: "github-push",
    deliveryId,
    repo,
    before: ZERO_SHA.test(p.before) ? null : p.before,
    after: p.after,
    forced: p.forced === true,
    actor: typeof actor === "string" ? actor : null,
    time: timeOf(p.head_commit?.timestamp),
    changes: foldPushChanges(p, patterns),
  };
  if (JSON.stringify(job).length > MAX_JOB_BYTES) job.changes = null;
  const touched = job.changes ? job.changes.upsert.length + job.changes.remove.length : null;
  const summary = touched === null ? "push: comparing trees" : `push: ${touched} possibly relevant file(s) changed`;
  return { type: "ok", jobs: [job], summary, repo: name };
}

function analyzeRepository(p: Json, deliveryId: string): IngestResult {
  const repo = repoOf("repository", p);
  const name = `${repo.owner}/${repo.name}`;
  const action = String(p.action);
  switch (action) {
    case "deleted":
    case "archived":
      return { type: "ok", jobs: [{ type: "github-repo", deliveryId, action, repo }], summary: `repository ${action}: removing its entities`, repo: name };
    case "renamed":
    case "transferred":
    case "unarchived":
      return { type: "ok", jobs: [{ type: "github-repo", deliveryId, action: "reindex", repo }], summary: `repository ${action}: re-indexing under ${name}`, repo: name };
    case "edited":
      if (isObject(p.changes?.default_branch)) {
        return { type: "ok", jobs: [{ type: "github-repo", deliveryId, action: "reindex", repo }], summary: `default branch is now ${repo.defaultBranch}: re-indexing`, repo: name };
      }
      return { type: "ignored", reason: "repository edited: nothing the catalog reads changed", repo: name };
    default:
      return { type: "ignored", reason: `repository ${action}: does not change the catalog`, repo: name };
  }
}

function slimRepos(event: string, list: unknown): { id: number; fullName: string }[] {
  if (!Array.isArray(list)) throw bad(event, "the repository list must be an array");
  return list.map((r) => {
    if (!isObject(r) || typeof r.id !== "number" || typeof r.full_name !== "string" || !r.full_name.includes("/")) throw bad(event, "each repository needs id and full_name");
    return { id: r.id, fullName: r.full_name };
  });
}

function installationJob(action: "added" | "removed", deliveryId: string, installationId: number, repos: { id: number; fullName: string }[] | null): GithubJob {
  const job: GithubJob = { type: "github-installation", deliveryId, action, installationId, repos };
  // A large installation's list would not fit a queue message; the job lists the repos through the API.
  if (JSON.stringify(job).length > MAX_JOB_BYTES) job.repos = null;
  return job;
}

function analyzeInstallation(event: string, p: Json, deliveryId: string): IngestResult {
  const id = p.installation?.id;
  if (typeof id !== "number") throw bad(event, "'installation.id' must be a number");
  const action = String(p.action);
  if (event === "installation_repositories") {
    const jobs: GithubJob[] = [];
    if (action === "added") jobs.push(installationJob("added", deliveryId, id, slimRepos(event, p.repositories_added ?? [])));
    else if (action === "removed") jobs.push(installationJob("removed", deliveryId, id, slimRepos(event, p.repositories_removed ?? [])));
    else return { type: "ignored", reason: `installation_repositories ${action}`, repo: null };
    return { type: "ok", jobs, summary: `installation ${id}: repositories ${action}`, repo: null };
  }
  if (["created", "new_permissions_accepted", "unsuspend"].includes(action)) {
    const repos = p.repositories === undefined ? null : slimRepos(event, p.repositories);
    return { type: "ok", jobs: [installationJob("added", deliveryId, id, repos)], summary: `installation ${id} ${action}: backfilling its repositories`, repo: null };
  }
  if (action === "deleted" || action === "suspend") {
    return { type: "ok", jobs: [installationJob("removed", deliveryId, id, null)], summary: `installation ${id} ${action}: removing its repositories' entities`, repo: null };
  }
  return { type: "ignored", reason: `installation ${action}: does not change the catalog`, repo: null };
}

function analyzePullRequest(p: Json, deliveryId: string): IngestResult {
  const repo = repoOf("pull_request", p);
  const name = `${repo.owner}/${repo.name}`;
  const action = String(p.action);
  if (!["opened", "synchronize", "reopened"].includes(action)) return { type: "ignored", reason: `pull_request ${action}: nothing to validate`, repo: name };
  const pr = p.pull_request;
  const headRepo = pr?.head?.repo;
  if (!isObject(pr) || typeof pr.number !== "number" || typeof pr.head?.sha !== "string" || !isObject(headRepo) || typeof headRepo.name !== "string") {
    throw bad("pull_request", "'pull_request' must carry number, head.sha and head.repo");
  }
  const head = { owner: String(headRepo.owner?.login ?? repo.owner), name: headRepo.name };
  return {
    type: "ok",
    jobs: [{ type: "github-pr-check", deliveryId, repo, number: pr.number, headSha: pr.head.sha, head }],
    summary: `pull request #${pr.number} ${action}: validating its catalog files`,
    repo: name,
  };
}

type Analyzer = (event: string, payload: Record<string, any>, deliveryId: string, patterns: readonly string[]) => IngestResult;

/** One analyzer per event the catalog acts on: the receiver's allow-list is this table's keys, so the two cannot disagree. */
const ANALYZERS: Record<string, Analyzer> = {
  ping: (_e, payload) => ({ type: "ok", jobs: [], summary: `pong${payload.hook_id ? ` (hook ${payload.hook_id})` : ""}`, repo: payload.repository?.full_name ?? null }),
  push: (_e, payload, deliveryId, patterns) => analyzePush(payload, deliveryId, patterns),
  repository: (_e, payload, deliveryId) => analyzeRepository(payload, deliveryId),
  installation: (event, payload, deliveryId) => analyzeInstallation(event, payload, deliveryId),
  installation_repositories: (event, payload, deliveryId) => analyzeInstallation(event, payload, deliveryId),
  pull_request: (_e, payload, deliveryId) => analyzePullRequest(payload, deliveryId),
  organization: (event, payload, deliveryId) => analyzeOrgWebhook(event, payload, deliveryId),
  membership: (event, payload, deliveryId) => analyzeOrgWebhook(event, payload, deliveryId),
  team: (event, payload, deliveryId) => analyzeOrgWebhook(event, payload, deliveryId),
  member: (event, payload, deliveryId) => analyzeOrgWebhook(event, payload, deliveryId),
};

/** The events analyzeGithubWebhook acts on; the receiver answers any other without reading its body. */
export const WEBHOOK_EVENTS: ReadonlySet<string> = new Set(Object.keys(ANALYZERS));

export function analyzeGithubWebhook(event: string, payload: unknown, deliveryId: string, patterns: readonly string[]): IngestResult {
  if (!isObject(payload)) throw new ApiError("InputError", "Invalid webhook payload: expected a JSON object");
  const analyze = Object.hasOwn(ANALYZERS, event) ? ANALYZERS[event] : undefined;
  if (!analyze) return { type: "unsupported", reason: `event ${event} is not used by the catalog`, repo: payload.repository?.full_name ?? null };
  return analyze(event, payload, deliveryId, patterns);
}
