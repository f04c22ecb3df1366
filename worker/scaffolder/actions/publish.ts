/**
 * publish:github and publish:github:pull-request over the Git data API (blobs → tree → commit → ref), so
 * the worker needs no git binary. A new repository is created with an initial commit (the Git data API
 * refuses empty repositories) and then gets a commit whose tree is exactly the workspace, so it holds the
 * rendered files and nothing else; description, topics, visibility, default branch, collaborators and
 * branch protection follow Backstage's inputs.
 */
import { ApiError } from "../../errors";
import { repoPath } from "../../github/api";
import type { GithubClient } from "../../github/client";
import { GithubApiError } from "../../github/errors";
import { readGithubConfig } from "../../github/config";
import { assertSafeSegment, assertGitRef } from "../../net/segments";
import { clientForOwner, commitFiles, ghWrite } from "../github";
import { normalizePath } from "../workspace";
import { bool, isObject, str, strList, tokenInput, TOKEN_SCHEMA } from "./inputs";
import { parseGithubRepoUrl } from "./repo-url";
import type { ActionContext, TemplateAction } from "./types";

const seg = (s: string) => encodeURIComponent(assertSafeSegment(s));
const branchPath = (b: string) => assertGitRef(b).split("/").map(seg).join("/");

/** The workspace files under `sourcePath`, relative to it, optionally placed under `targetPath`. */
function filesOf(ctx: ActionContext, sourcePath?: string, targetPath?: string): Map<string, Uint8Array> {
  const src = normalizePath(sourcePath ?? "");
  const dst = normalizePath(targetPath ?? "");
  const out = new Map<string, Uint8Array>();
  for (const p of ctx.workspace.list(src)) {
    const rel = src ? p.slice(src.length + 1) : p;
    out.set(dst ? `${dst}/${rel}` : rel, ctx.workspace.read(p)!);
  }
  return out;
}

interface RepoJson {
  name: string;
  default_branch: string;
  html_url: string;
  owner: { login: string; type?: string };
}

async function createRepository(client: GithubClient, owner: string, repo: string, body: Record<string, unknown>): Promise<RepoJson> {
  const what = `Creating repository ${owner}/${repo}`;
  const existing = await client.json<RepoJson>(repoPath(owner, repo));
  if (existing.data) throw new ApiError("ConflictError", `${what}: ${owner}/${repo} already exists`);
  try {
    // An organization's repository; GitHub answers 404 when the owner is a user, who creates under /user.
    const res = await client.json<RepoJson>(`/orgs/${seg(owner)}/repos`, { method: "POST", body: { name: repo, ...body, auto_init: true } });
    if (res.data) return res.data;
    const me = await client.json<{ login: string }>("/user");
    if (me.data?.login.toLowerCase() !== owner.toLowerCase()) {
      throw new ApiError("NotAllowedError", `${what}: ${owner} is neither an organization the worker can create repositories in nor the account it acts as`);
    }
    return await ghWrite<RepoJson>(client, "POST", "/user/repos", { name: repo, ...body, auto_init: true }, what);
  } catch (err) {
    if (err instanceof GithubApiError) {
      if (err.status === 422) throw new ApiError("ConflictError", `${what}: ${err.message}`);
      if (err.status === 401 || err.status === 403) throw new ApiError("NotAllowedError", `${what}: ${err.message}`);
      throw new ApiError("InputError", `${what}: ${err.message}`);
    }
    if (err instanceof ApiError && err.name === "ConflictError" && /exist/i.test(err.message)) throw new ApiError("ConflictError", `${what}: ${owner}/${repo} already exists`);
    throw err;
  }
}

const ACCESS = ["pull", "triage", "push", "maintain", "admin"];

export const publishGithub: TemplateAction = {
  id: "publish:github",
  description: "Creates a GitHub repository and commits the workspace (or sourcePath) to it as its first commit.",
  schema: {
    input: {
      type: "object",
      required: ["repoUrl"],
      properties: {
        repoUrl: { type: "string" },
        description: { type: "string" },
        homepage: { type: "string" },
        repoVisibility: { type: "string", enum: ["private", "internal", "public"] },
        defaultBranch: { type: "string" },
        protectDefaultBranch: { type: "boolean" },
        protectEnforceAdmins: { type: "boolean" },
        requireCodeOwnerReviews: { type: "boolean" },
        requiredApprovingReviewCount: { type: "number" },
        requiredStatusCheckContexts: { type: "array", items: { type: "string" } },
        gitCommitMessage: { type: "string" },
        gitAuthorName: { type: "string" },
        gitAuthorEmail: { type: "string" },
        sourcePath: { type: "string" },
        topics: { type: "array", items: { type: "string" } },
        collaborators: { type: "array", items: { type: "object" } },
        deleteBranchOnMerge: { type: "boolean" },
        hasWiki: { type: "boolean" },
        hasIssues: { type: "boolean" },
        hasProjects: { type: "boolean" },
        token: TOKEN_SCHEMA,
      },
    },
    output: { type: "object", properties: { remoteUrl: { type: "string" }, repoContentsUrl: { type: "string" }, commitHash: { type: "string" } } },
  },
  dryRun(ctx) {
    const { owner, repo } = parseGithubRepoUrl(ctx.env, this.id, str(this.id, ctx.input, "repoUrl", true));
    const web = readGithubConfig(ctx.env).webUrl;
    const branch = str(this.id, ctx.input, "defaultBranch") ?? "main";
    ctx.log(`Dry run: would create ${owner}/${repo} with ${filesOf(ctx, str(this.id, ctx.input, "sourcePath")).size} file(s)`);
    ctx.output("remoteUrl", `${web}/${owner}/${repo}.git`);
    ctx.output("repoContentsUrl", `${web}/${owner}/${repo}/blob/${branch}`);
    ctx.output("commitHash", "0".repeat(40));
  },
  async handler(ctx) {
    const id = this.id;
    const { owner, repo } = parseGithubRepoUrl(ctx.env, id, str(id, ctx.input, "repoUrl", true));
    const visibility = str(id, ctx.input, "repoVisibility") ?? "private";
    if (!["private", "internal", "public"].includes(visibility)) throw new ApiError("InputError", `${id}: repoVisibility must be private, internal or public`);
    const topics = strList(id, ctx.input, "topics");
    const collaborators = Array.isArray(ctx.input.collaborators) ? ctx.input.collaborators : [];
    for (const c of collaborators) {
      if (!isObject(c) || (typeof c.user !== "string" && typeof c.username !== "string" && typeof c.team !== "string")) {
        throw new ApiError("InputError", `${id}: each collaborator needs a user or a team, and an access level`);
      }
      if (c.access !== undefined && !ACCESS.includes(String(c.access))) throw new ApiError("InputError", `${id}: collaborator access must be one of ${ACCESS.join(", ")}`);
    }
    const files = filesOf(ctx, str(id, ctx.input, "sourcePath"));
    if (!files.size) throw new ApiError("InputError", `${id}: there are no files to publish (did a fetch step run?)`);

    const client = await clientForOwner(ctx.env, owner, undefined, tokenInput(ctx.input));
    ctx.log(`Creating repository ${owner}/${repo}`);
    const created = await createRepository(client, owner, repo, {
      description: str(id, ctx.input, "description"),
      homepage: str(id, ctx.input, "homepage"),
      private: visibility !== "public",
      visibility,
      has_wiki: ctx.input.hasWiki,
      has_issues: ctx.input.hasIssues,
      has_projects: ctx.input.hasProjects,
      delete_branch_on_merge: ctx.input.deleteBranchOnMerge,
    });
    ctx.log(`Created repository ${owner}/${repo} (${visibility})`);
    const base = repoPath(owner, repo);
    const initial = created.default_branch;
    const branch = str(id, ctx.input, "defaultBranch") ?? initial;
    const head = await ghWrite<{ object: { sha: string } }>(client, "GET", `${base}/git/ref/heads/${branchPath(initial)}`, undefined, "Reading the initial commit");
    const authorName = str(id, ctx.input, "gitAuthorName");
    ctx.log(`Uploading ${files.size} file(s) to ${owner}/${repo}`);
    const sha = await commitFiles(client, owner, repo, files, {
      message: str(id, ctx.input, "gitCommitMessage") ?? "initial commit",
      parents: [head.object.sha],
      ...(authorName ? { author: { name: authorName, email: str(id, ctx.input, "gitAuthorEmail") ?? `${authorName}@users.noreply.github.com` } } : {}),
    });
    if (branch === initial) {
      await ghWrite(client, "PATCH", `${base}/git/refs/heads/${branchPath(branch)}`, { sha, force: true }, `Updating ${branch}`);
    } else {
      await ghWrite(client, "POST", `${base}/git/refs`, { ref: `refs/heads/${assertGitRef(branch)}`, sha }, `Creating branch ${branch}`);
      await ghWrite(client, "PATCH", base, { default_branch: branch }, `Making ${branch} the default branch`);
      await ghWrite(client, "DELETE", `${base}/git/refs/heads/${branchPath(initial)}`, undefined, `Removing ${initial}`);
    }
    ctx.log(`Committed ${files.size} file(s) to ${owner}/${repo}@${branch} (${sha.slice(0, 12)})`);

    if (topics.length) {
      await ghWrite(client, "PUT", `${base}/topics`, { names: topics }, "Setting topics");
      ctx.log(`Set topics: ${topics.join(", ")}`);
    }
    for (const c of collaborators as Record<string, unknown>[]) {
      const permission = String(c.access ?? "push");
      if (typeof c.team === "string") await ghWrite(client, "PUT", `/orgs/${seg(owner)}/teams/${seg(c.team)}/repos/${seg(owner)}/${seg(repo)}`, { permission }, `Adding team ${c.team}`);
      else await ghWrite(client, "PUT", `${base}/collaborators/${seg(String(c.user ?? c.username))}`, { permission }, `Adding collaborator ${c.user ?? c.username}`);
    }
    if (collaborators.length) ctx.log(`Added ${collaborators.length} collaborator(s)`);
    if (bool(id, ctx.input, "protectDefaultBranch", true)) {
      const contexts = strList(id, ctx.input, "requiredStatusCheckContexts");
      const reviews = typeof ctx.input.requiredApprovingReviewCount === "number" ? ctx.input.requiredApprovingReviewCount : 1;
      await ghWrite(
        client,
        "PUT",
        `${base}/branches/${branchPath(branch)}/protection`,
        {
          required_status_checks: contexts.length ? { strict: true, contexts } : null,
          enforce_admins: bool(id, ctx.input, "protectEnforceAdmins", true),
          required_pull_request_reviews: { required_approving_review_count: reviews, require_code_owner_reviews: bool(id, ctx.input, "requireCodeOwnerReviews", false) },
          restrictions: null,
        },
        `Protecting ${branch}`,
      );
      ctx.log(`Protected ${branch}`);
    }
    const web = readGithubConfig(ctx.env).webUrl;
    ctx.output("remoteUrl", `${web}/${owner}/${repo}.git`);
    ctx.output("repoContentsUrl", `${web}/${owner}/${repo}/blob/${branch}`);
    ctx.output("commitHash", sha);
  },
};

export const publishGithubPullRequest: TemplateAction = {
  id: "publish:github:pull-request",
  description: "Commits the workspace (or sourcePath) to a new branch of an existing repository and opens a pull request.",
  schema: {
    input: {
      type: "object",
      required: ["repoUrl", "branchName", "title", "description"],
      properties: {
        repoUrl: { type: "string" },
        branchName: { type: "string" },
        targetBranchName: { type: "string" },
        title: { type: "string" },
        description: { type: "string" },
        sourcePath: { type: "string" },
        targetPath: { type: "string" },
        commitMessage: { type: "string" },
        draft: { type: "boolean" },
        token: TOKEN_SCHEMA,
      },
    },
    output: { type: "object", properties: { remoteUrl: { type: "string" }, pullRequestNumber: { type: "number" }, targetBranchName: { type: "string" } } },
  },
  dryRun(ctx) {
    const { owner, repo } = parseGithubRepoUrl(ctx.env, this.id, str(this.id, ctx.input, "repoUrl", true));
    ctx.log(`Dry run: would open a pull request on ${owner}/${repo}`);
    ctx.output("remoteUrl", `${readGithubConfig(ctx.env).webUrl}/${owner}/${repo}/pull/1`);
    ctx.output("pullRequestNumber", 1);
    ctx.output("targetBranchName", str(this.id, ctx.input, "targetBranchName") ?? "main");
  },
  async handler(ctx) {
    const id = this.id;
    const { owner, repo } = parseGithubRepoUrl(ctx.env, id, str(id, ctx.input, "repoUrl", true));
    const branchName = str(id, ctx.input, "branchName", true);
    const title = str(id, ctx.input, "title", true);
    const body = str(id, ctx.input, "description") ?? "";
    const files = filesOf(ctx, str(id, ctx.input, "sourcePath"), str(id, ctx.input, "targetPath"));
    if (!files.size) throw new ApiError("InputError", `${id}: there are no files to commit`);
    const client = await clientForOwner(ctx.env, owner, repo, tokenInput(ctx.input));
    const base = repoPath(owner, repo);
    const info = await client.json<RepoJson>(base);
    if (!info.data) throw new ApiError("NotFoundError", `${id}: ${owner}/${repo} does not exist`);
    const target = str(id, ctx.input, "targetBranchName") ?? info.data.default_branch;
    const head = await ghWrite<{ object: { sha: string } }>(client, "GET", `${base}/git/ref/heads/${branchPath(target)}`, undefined, `Reading ${target}`);
    const commit = await ghWrite<{ tree: { sha: string } }>(client, "GET", `${base}/git/commits/${seg(head.object.sha)}`, undefined, `Reading ${target}'s commit`);
    ctx.log(`Committing ${files.size} file(s) to a new branch ${branchName} of ${owner}/${repo}`);
    const sha = await commitFiles(client, owner, repo, files, { message: str(id, ctx.input, "commitMessage") ?? title, parents: [head.object.sha], baseTree: commit.tree.sha });
    await ghWrite(client, "POST", `${base}/git/refs`, { ref: `refs/heads/${assertGitRef(branchName)}`, sha }, `Creating branch ${branchName}`);
    const pr = await ghWrite<{ number: number; html_url: string }>(
      client,
      "POST",
      `${base}/pulls`,
      { title, body, head: branchName, base: target, draft: bool(id, ctx.input, "draft", false) },
      "Opening the pull request",
    );
    ctx.log(`Opened pull request #${pr.number} on ${owner}/${repo}: ${branchName} → ${target}`);
    ctx.output("remoteUrl", pr.html_url);
    ctx.output("pullRequestNumber", pr.number);
    ctx.output("targetBranchName", target);
  },
};
