/**
 * One build of a site at a time. The catalog change and the push that caused it can both queue a build of the
 * same site; without a lease two consumers would render the same pages concurrently. A lease is a row in the
 * plugin's `leases` table, claimed with storage's atomic `create` under the current two-minute window
 * (`<ref>#<window>`), so of two builds claiming one window exactly one wins; a build also yields to a live
 * lease of the previous window (a build that started just before the window turned). A build that crashed
 * leaves its row, which stops counting when its `until` passes (within two windows): nothing has to clean up
 * for the next build to run.
 * A build passes 100 pages at most (build-site.ts), far inside the lease.
 */
import type { PluginContext } from "../../../contract/plugin-worker";

export const LEASE_MS = 120_000;

interface LeaseRow {
  until: number;
}

const keyOf = (ref: string, window: number) => `${ref}#${window}`;

export interface Lease {
  release(): Promise<void>;
}

/** The site's build lease, or null when another build holds it. */
export async function claimBuildLease(ctx: PluginContext, ref: string, now = Date.now()): Promise<Lease | null> {
  const leases = ctx.storage.table<LeaseRow>("leases");
  const window = Math.floor(now / LEASE_MS);
  const key = keyOf(ref, window);
  // A row of this window is live for the rest of it (`until` is a window's length after its claim).
  if (!(await leases.create(key, { until: now + LEASE_MS }))) return null;
  const previous = await leases.get(keyOf(ref, window - 1));
  if (previous && previous.until > now) {
    await leases.delete(key);
    return null;
  }
  return { release: async () => void (await leases.delete(key)) };
}
