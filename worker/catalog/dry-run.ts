/**
 * POST /locations?dryRun=true: read and process a location in memory (walk.ts), write nothing, and return
 * the generated Location entity plus every entity it yields (Backstage's scaffolder catalog:register uses this).
 */
import { ApiError } from "../errors";
import { generatedLocationEntity } from "./location-url";
import { stringifyEntityRef } from "./entity-ref";
import { walkTree } from "./walk";
import type { Entity, FileReader, LocationSpec } from "./types";
import { findLocationByKey, locationKeyOf } from "./store/locations";

const MAX_FILES = 200;

export async function dryRunLocation(db: D1Database, spec: LocationSpec, read: FileReader) {
  const key = locationKeyOf(spec);
  const generated = await generatedLocationEntity(spec);
  const generatedRef = stringifyEntityRef(generated);
  const entities: Entity[] = [generated];
  const seen = new Set<string>([generatedRef]);
  const errors: string[] = [];
  const root = { key, spec, parentRef: generatedRef, parentFile: null, presence: "required" as const };
  await walkTree({ roots: [root], origin: key, read, maxFiles: MAX_FILES }, async (wave) => {
    for (const { item, file, outcome } of wave) {
      if (outcome === "missing") errors.push(`Unable to read url, no matching files found for ${item.spec.target}`);
      else errors.push(...file.problems.map((p) => `${p.name}: ${p.message}`));
      for (const p of file.entities) {
        if (seen.has(p.ref)) {
          errors.push(`Duplicate nested entity: ${p.ref}`);
          continue;
        }
        seen.add(p.ref);
        entities.push(p.entity);
      }
    }
  });
  if (errors.length) throw new ApiError("InputError", errors.join("; "));
  const exists = Boolean(await findLocationByKey(db, key));
  return { exists, location: { id: key, type: spec.type, target: spec.target, entityRef: generatedRef }, entities };
}
