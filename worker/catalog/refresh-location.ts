/** Job handler: re-reads a registered url location and everything it points at. */
import { createCatalogUrlReader } from "./url-reader";
import { refreshTree } from "./refresh-tree";
import { findLocationByKey } from "./store/locations";
import { announceCatalogChange } from "../plugins/hooks/dispatch";

export async function refreshRegisteredLocation(env: Env, locationKey: string): Promise<void> {
  const db = env.DB;
  const location = await findLocationByKey(db, locationKey);
  if (!location) return; // unregistered since the job was queued
  const reports = await refreshTree(db, { location, roots: [{ type: location.type, target: location.target }], read: createCatalogUrlReader(env, location), complete: true });
  await announceCatalogChange(env.JOBS, reports);
}
