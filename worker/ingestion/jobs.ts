/**
 * GitHub ingestion's messages on the shared JOBS queue. Each is slim (queue messages are capped at 128 KB):
 * repo identity, commits and paths, never a webhook payload. Jobs from a webhook carry its delivery id.
 */
import type { OrgJob } from "../identity/org/jobs";

export interface RepoRef {
  id: number;
  owner: string;
  name: string;
  /** Known from push and repository payloads; installation payloads do not carry it. */
  defaultBranch?: string;
  installationId?: number | null;
}

/** A push's file lists, folded over its commits: the last commit touching a path decides. */
export interface PushChanges {
  commits: { id: string; time: number | null }[];
  /** [path, index into commits] */
  upsert: [string, number][];
  remove: string[];
}

export interface ReportProblem {
  path: string;
  line: number | null;
  name: string;
  message: string;
}

export type GithubJob =
  | {
      type: "github-push";
      deliveryId?: string;
      repo: RepoRef & { defaultBranch: string };
      before: string | null;
      after: string;
      forced: boolean;
      actor: string | null;
      time: number | null;
      /** null: the lists are missing or may be truncated, so the tree decides. */
      changes: PushChanges | null;
    }
  | { type: "github-repo"; deliveryId?: string; action: "deleted" | "archived" | "reindex"; repo: RepoRef & { defaultBranch: string } }
  | { type: "github-installation"; deliveryId?: string; action: "added" | "removed"; installationId: number; repos: { id: number; fullName: string }[] | null }
  | { type: "github-sync"; deliveryId?: string; repo: RepoRef; sha?: string; force?: boolean; importId?: string; continuation?: boolean; reason: string }
  | { type: "github-import"; importId: string; owner: string; name?: string; page?: number; installationId?: number | null }
  | { type: "github-sweep"; afterId?: number }
  | { type: "github-pr-check"; deliveryId?: string; repo: RepoRef & { defaultBranch: string }; number: number; headSha: string; head: { owner: string; name: string } }
  | { type: "github-report"; repo: RepoRef; sha: string; problems: ReportProblem[]; total: number; files: number }
  | OrgJob;
