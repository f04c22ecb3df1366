/**
 * Writes an org's Group and User entities to the catalog: the whole org is rendered from its snapshot and
 * applied as one catalog file (orgLocationKey), so the store's rules hold as for any file: entities the
 * org no longer has are removed, unchanged ones are not rewritten, and an entity another file already
 * provides (a Group or User from YAML) is a ConflictError on the org's file, never overwritten. Work on one
 * org is serialized by its lease.
 */
import { applyFiles, removeFile, type FileReport, type FileWrite } from "../../catalog/store/apply-file";
import type { ProcessedFile } from "../../catalog/types";
import { RepoBusyError } from "../../github/errors";
import { orgLocationKey, renderOrgEntities } from "./model";
import { processOrgEntities } from "./process";
import { acquireOrgLease, deleteOrgRows, loadOrgSnapshot, releaseOrgLease, type OrgRow } from "./store";

const LEASE_MS = 5 * 60_000;
const LEASE_WAIT_MS = 10_000;

/** Runs `fn` holding the org's lease; waits a little for another holder, then lets the queue retry. */
export async function withOrgLease<T>(db: D1Database, orgId: number, fn: () => Promise<T>): Promise<T> {
  const owner = crypto.randomUUID();
  const deadline = Date.now() + LEASE_WAIT_MS;
  while (!(await acquireOrgLease(db, orgId, owner, LEASE_MS))) {
    // The consumer retries a RepoBusyError without counting it as a failure.
    if (Date.now() > deadline) throw new RepoBusyError(`Organization ${orgId} is being read by another job`);
    await new Promise((r) => setTimeout(r, 50));
  }
  try {
    return await fn();
  } finally {
    await releaseOrgLease(db, orgId, owner);
  }
}

const write = (file: ProcessedFile): FileWrite => ({ file, originKey: file.locationKey, parentRef: null, contentHash: null });
const emptied = (locationKey: string): ProcessedFile => ({ locationKey, entities: [], problems: [], complete: true, keepRefs: [], locationTargets: [] });

/**
 * Renders the org from its snapshot and applies it. After a rename (`previousLogin`), the old key's file is
 * emptied in the same batch, before the new one claims the same refs.
 */
export async function writeOrgEntities(db: D1Database, webUrl: string, org: OrgRow, previousLogin?: string): Promise<FileReport> {
  const key = orgLocationKey(org.login);
  const file = processOrgEntities(key, renderOrgEntities(await loadOrgSnapshot(db, org), webUrl));
  const oldKey = previousLogin ? orgLocationKey(previousLogin) : key;
  const reports = await applyFiles(db, oldKey === key ? [write(file)] : [write(emptied(oldKey)), write(file)]);
  if (oldKey !== key) await removeFile(db, oldKey, oldKey);
  return reports[reports.length - 1];
}

/** The org is gone from GitHub: its entities, errors and snapshot go. */
export async function removeOrgEntities(db: D1Database, org: OrgRow): Promise<FileReport> {
  const report = await removeFile(db, orgLocationKey(org.login), orgLocationKey(org.login));
  await deleteOrgRows(db, org.id);
  return report;
}

export function describeReport(login: string, r: FileReport): string {
  const rejected = r.rejected.length ? `, ${r.rejected.length} rejected (see processing errors of ${orgLocationKey(login)})` : "";
  return `organization ${login}: ${r.added.length} added, ${r.updated.length} updated, ${r.removed.length} removed, ${r.unchanged.length} unchanged${rejected}`;
}
