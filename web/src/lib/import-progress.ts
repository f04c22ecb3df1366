/**
 * An import's progress (GET /api/github/imports) as a bar and a sentence, mirroring the CLI's
 * (scripts/import.mjs): repository imports count files once the repositories are listed; org-data imports
 * count the teams and people read.
 */

export interface ImportProgress {
  id: string;
  target: string;
  status: "running" | "done" | "failed";
  listed: boolean;
  reposTotal: number;
  reposDone: number;
  filesTotal: number;
  filesDone: number;
  entities: number;
  errors: number;
  message: string | null;
  startedAt: string;
  updatedAt: string;
  finishedAt: string | null;
}

/** worker/identity/org/import.ts's target prefix for org-data imports. */
const ORG_DATA_TARGET = "org-data:";

export interface ProgressView {
  /** What was imported, without the org-data prefix. */
  target: string;
  orgData: boolean;
  /** For <progress>: undefined value means "not known yet" (an indeterminate bar). */
  value: number | undefined;
  max: number;
  /** 0–100, or null while the total is unknown. */
  percent: number | null;
  summary: string;
}

export function describeImport(p: ImportProgress): ProgressView {
  const orgData = p.target.startsWith(ORG_DATA_TARGET);
  const target = orgData ? p.target.slice(ORG_DATA_TARGET.length) : p.target;
  const byFiles = orgData || p.filesTotal > 0;
  const done = byFiles ? p.filesDone : p.reposDone;
  const total = byFiles ? Math.max(p.filesTotal, p.filesDone) : p.reposTotal;
  const known = p.status !== "running" || (p.listed && total > 0);
  let percent: number | null = null;
  if (p.status === "done") percent = 100;
  else if (known && total > 0) percent = Math.min(100, Math.floor((done / total) * 100));
  const max = Math.max(total, 1);
  const value = percent === null ? (p.status === "running" ? undefined : 0) : p.status === "done" ? max : Math.min(done, max);
  const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
  const summary = orgData
    ? `${p.filesDone}/${p.listed ? total : "?"} teams and people`
    : `${p.filesDone}/${Math.max(p.filesTotal, p.filesDone)} files · ${p.reposDone}/${p.listed ? p.reposTotal : `${p.reposTotal}+`} repos`;
  const tail = p.status === "running" ? "" : ` · ${count(p.entities, "entity", "entities")} · ${count(p.errors, "processing error", "processing errors")}`;
  return { target, orgData, value, max, percent, summary: summary + tail };
}

export const isRunning = (items: readonly ImportProgress[]): boolean => items.some((p) => p.status === "running");
