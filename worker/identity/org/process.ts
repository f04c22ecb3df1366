/**
 * Rendered org entities → the ProcessedFile the catalog store writes: each entity validated as a catalog
 * file's document would be, with its relations and search rows. Pure. An entity that fails validation is
 * a processing error on the org's file and keeps its last good version, as a failing document does.
 */
import type { Entity, ProcessedFile, ProcessingProblem } from "../../catalog/types";
import { stringifyEntityRef } from "../../catalog/entity-ref";
import { ModelError } from "../../catalog/model-error";
import { buildRelations } from "../../catalog/relations";
import { buildSearchRows } from "../../catalog/search-index";
import { validateEntity } from "../../catalog/validation";

export function processOrgEntities(locationKey: string, entities: readonly Entity[]): ProcessedFile {
  const out: ProcessedFile = { locationKey, entities: [], problems: [], complete: true, keepRefs: [], locationTargets: [] };
  entities.forEach((raw, docIndex) => {
    const ref = stringifyEntityRef({ kind: raw.kind, namespace: raw.metadata.namespace ?? "default", name: raw.metadata.name });
    const problem = (field: string | null, name: string, message: string): ProcessingProblem => ({ location: locationKey, docIndex, entityRef: ref, field, line: null, name, message });
    const validated = validateEntity(raw);
    if (!validated.entity) {
      out.problems.push(...validated.problems.map((p) => problem(p.field, p.name, p.message)));
      out.keepRefs.push(ref);
      return;
    }
    const entity = validated.entity;
    try {
      out.entities.push({ entity, ref, relations: buildRelations(entity), docIndex, searchRows: buildSearchRows(entity) });
    } catch (e) {
      out.problems.push(problem(e instanceof ModelError ? (e.field ?? null) : null, "InputError", e instanceof Error ? e.message : String(e)));
      out.keepRefs.push(ref);
    }
  });
  return out;
}
