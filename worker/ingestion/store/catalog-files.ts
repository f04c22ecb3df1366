/**
 * Read-only views of catalog tables that ingestion needs and the catalog store does not offer: the Location
 * entities read through one origin, with their targets, to work out which files are still reachable.
 */
export interface LocationEntityRow {
  locationKey: string;
  spec: { type?: string; target?: string; targets?: string[] } | null;
}

export async function listLocationEntitiesOfOrigin(db: D1Database, originKey: string): Promise<LocationEntityRow[]> {
  const { results } = await db
    .prepare("SELECT location_key AS locationKey, json_extract(body, '$.spec') AS spec FROM entities WHERE origin_key = ? AND lower(kind) = 'location'")
    .bind(originKey)
    .all<{ locationKey: string; spec: string | null }>();
  return results.map((r) => ({ locationKey: r.locationKey, spec: r.spec ? JSON.parse(r.spec) : null }));
}
