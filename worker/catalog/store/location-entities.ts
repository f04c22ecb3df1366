/**
 * The Location entities read through one origin, with the file each came from and its targets as stored:
 * what the walk needs to tell which files are still reached after a run.
 */
export interface LocationEntityRow {
  ref: string;
  locationKey: string;
  spec: { type?: string; target?: string; targets?: string[] } | null;
}

export async function listLocationEntitiesOfOrigin(db: D1Database, originKey: string): Promise<LocationEntityRow[]> {
  const { results } = await db
    .prepare("SELECT ref, location_key AS locationKey, json_extract(body, '$.spec') AS spec FROM entities WHERE origin_key = ? AND lower(kind) = 'location'")
    .bind(originKey)
    .all<{ ref: string; locationKey: string; spec: string | null }>();
  return results.map((r) => ({ ref: r.ref, locationKey: r.locationKey, spec: r.spec ? JSON.parse(r.spec) : null }));
}
