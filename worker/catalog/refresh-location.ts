/** Job handler: re-reads a registered url location and everything it points at. */
import { readUrl } from "./url-reader";
import { refreshTree } from "./refresh-tree";
import { findLocationByKey } from "./store/locations";

export async function refreshRegisteredLocation(db: D1Database, locationKey: string): Promise<void> {
  const location = await findLocationByKey(db, locationKey);
  if (!location) return; // unregistered since the job was queued
  await refreshTree(db, { location, roots: [{ type: location.type, target: location.target }], read: readUrl, complete: true });
}
