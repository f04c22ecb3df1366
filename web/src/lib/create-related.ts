/** Every relation target of an entity, fetched once with by-refs and shared by the cards that show them. */
import { fetchEntitiesByRefs, SUMMARY_FIELDS } from "../api/entities";
import type { Entity, PartialEntity } from "../../../contract/entity";
import { createData } from "./create-data";

export type RelatedMap = Map<string, PartialEntity | null>;

export function relationTargets(entity: Entity): string[] {
  return [...new Set((entity.relations ?? []).map((r) => r.targetRef.toLowerCase()))].sort();
}

/** undefined while loading (or when it failed); entries are null for refs that are not in the catalog. */
export function createRelated(entity: () => Entity): () => RelatedMap | undefined {
  const data = createData(
    () => relationTargets(entity()),
    async (refs) => {
      const r = await fetchEntitiesByRefs(refs, SUMMARY_FIELDS);
      const map: RelatedMap = new Map();
      refs.forEach((ref, i) => map.set(ref, r.items[i] ?? null));
      return map;
    },
  );
  return data.value;
}
