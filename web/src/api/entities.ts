/** Catalog entity reads: one entity by name, pages by query, batches by ref, facet counts. */
import { query } from "@solidjs/router";
import type { ByRefsResponse, Entity, FacetsResponse, PartialEntity, QueryEntitiesResponse } from "../types";
import { byNamePath, entityQueryPath, facetsPath, type EntityQuery } from "./params";
import { request } from "./request";

/** `GET /entities/by-name/:kind/:namespace/:name`, cached per ref for the router's preload. */
export const getEntity = query(
  (kind: string, namespace: string, name: string) => request<Entity>(byNamePath(kind, namespace, name)),
  "entity",
);

export function queryEntities<T = PartialEntity>(q: EntityQuery, signal?: AbortSignal): Promise<QueryEntitiesResponse<T>> {
  return request<QueryEntitiesResponse<T>>(entityQueryPath(q), { signal });
}

/** Cached variant for cards that list related entities (owned entities, members, ...). */
export const listEntities = query((q: EntityQuery) => queryEntities(q), "entities");

export function fetchEntitiesByRefs<T = PartialEntity>(
  refs: readonly string[],
  fields?: readonly string[],
  signal?: AbortSignal,
): Promise<ByRefsResponse<T>> {
  if (refs.length === 0) return Promise.resolve({ items: [] });
  return request<ByRefsResponse<T>>("/api/catalog/entities/by-refs", {
    body: fields && fields.length ? { entityRefs: refs, fields } : { entityRefs: refs },
    signal,
  });
}

export const getEntitiesByRefs = query(
  (refs: readonly string[], fields?: readonly string[]) => fetchEntitiesByRefs(refs, fields),
  "entitiesByRefs",
);

export function fetchFacets(facets: readonly string[], filter: readonly string[] = [], signal?: AbortSignal): Promise<FacetsResponse> {
  return request<FacetsResponse>(facetsPath(facets, filter), { signal });
}

export const getFacets = query((facets: readonly string[], filter: readonly string[] = []) => fetchFacets(facets, filter), "facets");

/** The fields list views need; keeps large `spec.definition`s off the wire. */
export const LIST_FIELDS = [
  "kind",
  "metadata.name",
  "metadata.namespace",
  "metadata.title",
  "metadata.description",
  "metadata.tags",
  "spec.type",
  "spec.owner",
  "spec.lifecycle",
  "spec.system",
  "spec.profile.displayName",
] as const;

export const SUMMARY_FIELDS = ["kind", "metadata.name", "metadata.namespace", "metadata.title", "metadata.description", "spec.type", "spec.profile.displayName"] as const;
