/**
 * POST /locations?dryRun=true: read and process a location in memory, write nothing, and return the
 * generated Location entity plus every entity it yields (Backstage's scaffolder catalog:register uses this).
 */
import { ApiError } from "../errors";
import { processFile } from "./process-file";
import { generatedLocationEntity } from "./location-url";
import { stringifyEntityRef } from "./entity-ref";
import type { Entity, FileReader, LocationSpec } from "./types";
import { findLocationByKey, locationKeyOf } from "./store/locations";

const MAX_FILES = 200;

export async function dryRunLocation(db: D1Database, spec: LocationSpec, read: FileReader) {
  const key = locationKeyOf(spec);
  const generated = await generatedLocationEntity(spec);
  const entities: Entity[] = [generated];
  const seen = new Set<string>([stringifyEntityRef(generated)]);
  const errors: string[] = [];
  const queue: LocationSpec[] = [spec];
  const visited = new Set<string>();
  while (queue.length && visited.size < MAX_FILES) {
    const file = queue.shift()!;
    if (visited.has(locationKeyOf(file))) continue;
    visited.add(locationKeyOf(file));
    let content: string | undefined;
    try {
      content = await read(file);
    } catch (err) {
      errors.push(`Unable to read ${locationKeyOf(file)}: ${(err as Error).message}`);
      continue;
    }
    if (content === undefined) {
      errors.push(`Unable to read url, no matching files found for ${file.target}`);
      continue;
    }
    const processed = await processFile({ location: file, origin: key, content, read });
    errors.push(...processed.problems.map((p) => `${p.name}: ${p.message}`));
    for (const p of processed.entities) {
      if (seen.has(p.ref)) {
        errors.push(`Duplicate nested entity: ${p.ref}`);
        continue;
      }
      seen.add(p.ref);
      entities.push(p.entity);
    }
    queue.push(...processed.locationTargets.map((t) => t.location));
  }
  if (errors.length) throw new ApiError("InputError", errors.join("; "));
  const exists = Boolean(await findLocationByKey(db, key));
  return { exists, location: { id: key, type: spec.type, target: spec.target, entityRef: stringifyEntityRef(generated) }, entities };
}
