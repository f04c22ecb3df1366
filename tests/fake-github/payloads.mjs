/**
 * @module Webhook bodies for the fake GitHub's events, made from real GitHub payloads
 * (tests/fixtures/github/*.json, copied from @octokit/webhooks-examples): the template keeps every field
 * GitHub sends, and the parts that describe this repo and push are replaced with the fake's state.
 */

const ZERO = "0000000000000000000000000000000000000000";
const clone = (v) => JSON.parse(JSON.stringify(v));
const iso = (/** @type {number} */ ms) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, "Z");

/** The `repository` object of a webhook: the template's, with this repo's identity. */
function repositoryOf(template, r, webUrl = "https://github.com") {
  const html = `${webUrl}/${r.owner}/${r.name}`;
  return {
    ...clone(template),
    id: r.id,
    node_id: `R_${r.id}`,
    name: r.name,
    full_name: `${r.owner}/${r.name}`,
    owner: { ...clone(template.owner), login: r.owner, name: r.owner },
    private: r.private,
    html_url: html,
    url: html,
    default_branch: r.defaultBranch,
    master_branch: r.defaultBranch,
    archived: r.archived,
  };
}

function commitOf(result, webUrl, r) {
  const c = result.commit;
  return {
    id: c.sha,
    tree_id: c.treeSha,
    distinct: true,
    message: c.message,
    timestamp: iso(c.time),
    url: `${webUrl}/${r.owner}/${r.name}/commit/${c.sha}`,
    author: { name: c.author.name, email: c.author.email, username: c.author.login },
    committer: { name: c.author.name, email: c.author.email, username: c.author.login },
    added: result.added,
    removed: result.removed,
    modified: result.modified,
  };
}

/**
 * A push webhook body.
 * @param {any} template tests/fixtures/github/push.json
 * @param {{ repo: any, branch?: string, before?: string | null, after?: string | null, commits?: any[],
 *   forced?: boolean, deleted?: boolean, tag?: string, keepCommits?: number, pusher?: string, webUrl?: string }} push
 *   `commits` are results of model.commit(); `keepCommits` keeps only the last N (an old-style truncated list).
 */
export function pushPayload(template, push) {
  const webUrl = push.webUrl ?? "https://github.com";
  const r = push.repo;
  const body = clone(template);
  const results = push.commits ?? [];
  const before = push.before ?? results[0]?.before ?? null;
  const after = push.deleted ? ZERO : (push.after ?? results[results.length - 1]?.after ?? ZERO);
  let commits = results.map((c) => commitOf(c, webUrl, r));
  if (push.keepCommits !== undefined) commits = commits.slice(-push.keepCommits);
  body.ref = push.tag ? `refs/tags/${push.tag}` : `refs/heads/${push.branch ?? r.defaultBranch}`;
  body.before = before ?? ZERO;
  body.after = after;
  body.created = !before;
  body.deleted = Boolean(push.deleted);
  body.forced = Boolean(push.forced);
  body.base_ref = null;
  body.compare = `${webUrl}/${r.owner}/${r.name}/compare/${body.before.slice(0, 12)}...${after.slice(0, 12)}`;
  body.commits = push.deleted ? [] : commits;
  body.head_commit = push.deleted ? null : (commits[commits.length - 1] ?? null);
  body.repository = { ...repositoryOf(template.repository, r, webUrl), pushed_at: Math.floor(Date.now() / 1000) };
  const login = push.pusher ?? "octocat";
  body.pusher = { name: login, email: `${login}@example.com` };
  body.sender = { ...clone(template.sender), login };
  if (r.installationId) body.installation = { ...clone(template.installation ?? {}), id: r.installationId };
  else delete body.installation;
  return body;
}

/** A `repository` webhook body (renamed, transferred, archived, deleted, edited, ...). */
export function repositoryPayload(template, action, r, changes = undefined, webUrl = "https://github.com") {
  const body = clone(template);
  body.action = action;
  body.repository = repositoryOf(template.repository, r, webUrl);
  if (changes) body.changes = changes;
  else delete body.changes;
  if (r.installationId) body.installation = { id: r.installationId, node_id: "I" };
  else delete body.installation;
  return body;
}

const slim = (r) => ({ id: r.id, node_id: `R_${r.id}`, name: r.name, full_name: `${r.owner}/${r.name}`, private: r.private });

/** An `installation` webhook body (created / deleted / suspend / unsuspend). */
export function installationPayload(template, action, installationId, repos) {
  const body = clone(template);
  body.action = action;
  body.installation = { ...clone(template.installation), id: installationId };
  body.repositories = repos.map(slim);
  return body;
}

/** An `installation_repositories` webhook body. */
export function installationRepositoriesPayload(template, action, installationId, { added = [], removed = [] }) {
  const body = clone(template);
  body.action = action;
  body.installation = { ...clone(template.installation), id: installationId };
  body.repositories_added = added.map(slim);
  body.repositories_removed = removed.map(slim);
  return body;
}

/** A `pull_request` webhook body for a pull opened with model.openPull(). */
export function pullRequestPayload(template, action, r, pull, webUrl = "https://github.com") {
  const body = clone(template);
  const repository = repositoryOf(template.repository, r, webUrl);
  body.action = action;
  body.number = pull.number;
  body.repository = repository;
  body.pull_request = {
    ...clone(template.pull_request),
    number: pull.number,
    head: { ...clone(template.pull_request.head), ref: pull.head, sha: pull.headSha, repo: repository },
    base: { ...clone(template.pull_request.base), ref: pull.base ?? r.defaultBranch, sha: pull.baseSha, repo: repository },
  };
  if (r.installationId) body.installation = { id: r.installationId, node_id: "I" };
  else delete body.installation;
  return body;
}
