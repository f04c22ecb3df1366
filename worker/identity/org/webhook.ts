/**
 * The organization data webhooks → change jobs, as Backstage's GithubOrgEntityProvider.onEvent reads them:
 * `organization` (member_added, member_removed, renamed, deleted; member_invited waits for the invitee
 * to accept), `membership` (added, removed), `team` (created, deleted, edited: renames and moves under
 * another parent; repository access is not org data) and `member` (a collaborator of an org's repo: their
 * profile is read again if they belong to the org). Pure: no I/O; a payload missing what its event needs
 * is an InputError.
 */
import { ApiError } from "../../errors";
import type { IngestResult } from "../../ingestion/github";
import type { OrgChange, OrgJob } from "./jobs";

type Json = Record<string, any>;
const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const bad = (event: string, what: string) => new ApiError("InputError", `Invalid ${event} payload: ${what}`);

function login(event: string, user: unknown, field: string): string {
  if (!isObject(user) || typeof user.login !== "string" || !user.login) throw bad(event, `'${field}.login' must be a string`);
  return user.login;
}

export function analyzeOrgWebhook(event: string, p: Json, deliveryId: string): IngestResult {
  const repo = typeof p.repository?.full_name === "string" ? p.repository.full_name : null;
  const action = String(p.action);
  const ignored = (reason: string): IngestResult => ({ type: "ignored", reason, repo });
  const org = p.organization;
  if (!isObject(org) || typeof org.id !== "number" || typeof org.login !== "string") {
    // GitHub sends `member` for collaborators of personal repositories too: no organization, no org data.
    if (event === "member" && !("organization" in p)) return ignored(`member ${action} on a repository outside an organization: no org data changes`);
    throw bad(event, "'organization' must carry id and login");
  }
  const job = (change: OrgChange): OrgJob => ({
    type: "github-org-change",
    deliveryId,
    org: { id: org.id, login: org.login },
    installationId: typeof p.installation?.id === "number" ? p.installation.id : null,
    change,
  });
  const ok = (change: OrgChange, summary: string): IngestResult => ({ type: "ok", jobs: [job(change)], summary: `${org.login}: ${summary}`, repo });

  switch (event) {
    case "organization":
      if (action === "member_added" || action === "member_removed") {
        const who = login(event, p.membership?.user, "membership.user");
        return ok({ kind: "member", login: who }, `${who} ${action === "member_added" ? "joined" : "left"} the organization`);
      }
      if (action === "member_invited") return ignored(`${org.login}: ${p.invitation?.login ?? "someone"} was invited; they become a User when they accept (member_added)`);
      if (action === "renamed") return ok({ kind: "renamed" }, `organization renamed from ${p.changes?.login?.from ?? "?"}`);
      if (action === "deleted") return ok({ kind: "deleted" }, "organization deleted");
      return ignored(`organization ${action}: does not change org data`);
    case "membership": {
      if (p.scope !== "team") return ignored(`membership ${action} with scope ${p.scope}: only team memberships are org data`);
      const who = login(event, p.member, "member");
      if (!isObject(p.team) || typeof p.team.id !== "number") throw bad(event, "'team.id' must be a number");
      return ok({ kind: "membership", teamId: p.team.id, login: who }, `${who} ${action} ${action === "added" ? "to" : "from"} team ${p.team.slug ?? p.team.name ?? p.team.id}`);
    }
    case "team":
      if (action === "edited" && isObject(p.changes) && Object.keys(p.changes).length === 1 && "repository" in p.changes) {
        return ignored(`team ${p.team?.slug ?? "?"} edited: repository permissions are not org data`);
      }
      if (action === "created" || action === "deleted" || action === "edited") return ok({ kind: "teams" }, `team ${p.team?.slug ?? p.team?.name ?? "?"} ${action}`);
      return ignored(`team ${action}: repository access is not org data`);
    case "member": {
      const who = login(event, p.member, "member");
      return ok({ kind: "member", login: who }, `collaborator ${who} ${action}: reading their profile again if they belong to the organization`);
    }
    default:
      return ignored(`event ${event} is not org data`);
  }
}
