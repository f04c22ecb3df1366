/**
 * Reporting to GitHub: a pull request's changed catalog files are validated at its head and the result is
 * posted on the head commit, and after a push the processing errors are posted on the pushed commit. With
 * a GitHub App that is a check run whose annotations point at each error's file and line; with a token
 * (check runs need an App) it is a commit status summarizing the first error.
 * A pull request from a fork is anyone's code run against the installation's token: its check reads the
 * fork's changed catalog files and nothing else (no placeholders, no Location targets, no other repos).
 */
import { processFile } from "../catalog/process-file";
import { listFilesOfOrigin } from "../catalog/store/locations";
import type { GithubClient } from "../github/client";
import { createCheckRun, createCommitStatus, listPullFiles, type CheckAnnotation } from "../github/api";
import { GithubApiError } from "../github/errors";
import { fileUrl, originKeyOf, pathOfKey, sameRepo } from "../github/keys";
import { matchesCatalogPattern } from "../github/patterns";
import { createRepoReader, readRepoFile } from "../github/reader";
import { refusingReader } from "../catalog/url-reader";
import { createReadBudget, FILE_READ_BUDGET, limitReads } from "../net/budget";
import { PermanentReadError } from "../net/errors";
import type { GithubJob, RepoRef, ReportProblem } from "./jobs";
import { clientForRepo } from "./context";
import { getRepoState } from "./store/repos";

type PullJob = Extract<GithubJob, { type: "github-pr-check" }>;
type ReportJob = Extract<GithubJob, { type: "github-report" }>;

export const CHECK_NAME = "Edgestage catalog";
export const STATUS_CONTEXT = "edgestage/catalog";

export async function reportResult(
  client: GithubClient,
  repo: Pick<RepoRef, "owner" | "name">,
  sha: string,
  r: { problems: ReportProblem[]; total: number; files: number; what: string },
): Promise<void> {
  const title = r.total
    ? `${r.total} catalog error${r.total === 1 ? "" : "s"} in ${r.what}`
    : `${r.files} catalog file${r.files === 1 ? "" : "s"} in ${r.what} processed without errors`;
  const lines = r.problems.map((p) => `- \`${p.path}${p.line ? `:${p.line}` : ""}\` ${p.name}: ${p.message}`);
  if (client.config.app && client.installationId) {
    const annotations: CheckAnnotation[] = r.problems.slice(0, 50).map((p) => ({
      path: p.path,
      start_line: p.line ?? 1,
      end_line: p.line ?? 1,
      annotation_level: "failure",
      title: p.name,
      message: p.message,
    }));
    try {
      await createCheckRun(client, repo.owner, repo.name, {
        name: CHECK_NAME,
        head_sha: sha,
        conclusion: r.total ? "failure" : "success",
        output: { title, summary: lines.length ? lines.join("\n").slice(0, 60_000) : title, annotations },
      });
      return;
    } catch (err) {
      // An App without the checks permission can still set commit statuses.
      if (!(err instanceof GithubApiError && err.status === 403)) throw err;
    }
  }
  const first = r.problems[0];
  const description = first ? `${title}: ${first.path}${first.line ? `:${first.line}` : ""} ${first.message}` : title;
  await createCommitStatus(client, repo.owner, repo.name, sha, {
    state: r.total ? "failure" : "success",
    context: STATUS_CONTEXT,
    // GitHub rejects status descriptions over 140 characters.
    description: description.length > 140 ? `${description.slice(0, 139)}…` : description,
  });
}

/**
 * Reporting is a courtesy: without the right to write statuses (no credentials, a read-only token) the
 * result stays in the catalog's processing errors and the job ends. Rate limits and 5xx still retry.
 */
async function bestEffort(what: string, report: () => Promise<void>): Promise<string> {
  try {
    await report();
    return `reported ${what}`;
  } catch (err) {
    if (!(err instanceof GithubApiError) || ![401, 403, 404, 422].includes(err.status)) throw err;
    console.warn(`github: could not report ${what}: ${err.message}`);
    return `not reported (${err.message})`;
  }
}

export async function handleReport(env: Env, job: ReportJob): Promise<string> {
  const client = await clientForRepo(env, job.repo);
  const what = `push ${job.sha.slice(0, 7)}`;
  return bestEffort(what, () => reportResult(client, job.repo, job.sha, { problems: job.problems, total: job.total, files: job.files, what }));
}

/** Validates the catalog files a pull request adds or changes, as they are at its head commit. */
export async function handlePullRequest(env: Env, job: PullJob): Promise<string> {
  const client = await clientForRepo(env, job.repo);
  const cfg = client.config;
  const files = await listPullFiles(client, job.repo.owner, job.repo.name, job.number);
  if (!files) return `pull request #${job.number} is gone`;
  // Besides files matching the patterns, files the catalog reached through Location entities are checked too.
  const state = await getRepoState(env.DB, job.repo.id);
  const targets = new Set<string>();
  if (state) {
    for (const f of await listFilesOfOrigin(env.DB, state.originKey)) {
      const p = pathOfKey(cfg, state, f.locationKey);
      if (p) targets.add(p.path);
    }
  }
  const changed = files.filter((f) => f.status !== "removed" && (matchesCatalogPattern(f.path, cfg.patterns) || targets.has(f.path)));
  if (!changed.length) return `pull request #${job.number}: no catalog files changed`;
  const head = { owner: job.head.owner, name: job.head.name, defaultBranch: job.headSha };
  const fork = !sameRepo(head, job.repo);
  const reader = fork
    ? refusingReader("Placeholders are not resolved in checks of pull requests from forks: only the changed files are read")
    : createRepoReader(client, head, job.headSha, undefined, createReadBudget());
  const origin = state?.originKey ?? originKeyOf(cfg, job.repo);
  const problems: ReportProblem[] = [];
  for (const f of changed) {
    let file;
    try {
      file = await readRepoFile(client, head.owner, head.name, f.path, job.headSha);
    } catch (err) {
      // Not UTF-8, over 4 MB, a path that is not plain segments: that file's problem, the others still count.
      if (!(err instanceof PermanentReadError)) throw err;
      problems.push({ path: f.path, line: null, name: err.name, message: err.message });
      continue;
    }
    if (!file) continue;
    const read = limitReads(reader, createReadBudget(FILE_READ_BUDGET));
    const processed = await processFile({ location: { type: "url", target: fileUrl(cfg, head, f.path) }, origin, content: file.content, read });
    for (const p of processed.problems) problems.push({ path: f.path, line: p.line, name: p.name, message: p.message });
  }
  const what = `pull request #${job.number}`;
  const summary = await bestEffort(what, () => reportResult(client, job.repo, job.headSha, { problems: problems.slice(0, 50), total: problems.length, files: changed.length, what }));
  return `${summary}: ${problems.length} problem(s) in ${changed.length} catalog file(s)`;
}
