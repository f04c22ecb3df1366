/**
 * Organization data's messages on the shared JOBS queue: an import (list the org's teams and members),
 * its batches (read team member lists and public profiles), and a change (one webhook's worth of
 * re-reading). Each job re-reads from GitHub what its event may have changed, so jobs may run in any order,
 * twice, or late, and the org still ends up as GitHub has it.
 */

/** What a webhook says changed; the job asks GitHub for the current state of exactly that. */
export type OrgChange =
  /** organization member_added / member_removed, member (a collaborator added or edited): one person. */
  | { kind: "member"; login: string }
  /** membership added / removed: one team's member list (and its parents', which include it). */
  | { kind: "membership"; teamId: number; login: string }
  /** team created / deleted / edited (renamed, moved under another parent, described): the team list. */
  | { kind: "teams" }
  /** organization renamed: nothing beyond what every change does first (read the org by id, follow a new login). */
  | { kind: "renamed" }
  /** organization deleted: its entities go once GitHub confirms the org is gone. */
  | { kind: "deleted" };

export type OrgJob =
  | { type: "github-org-import"; importId: string; org: string; installationId?: number | null }
  | { type: "github-org-batch"; importId: string; orgId: number; teamIds: number[]; logins: string[] }
  | { type: "github-org-change"; deliveryId?: string; org: { id: number; login: string }; installationId: number | null; change: OrgChange };
