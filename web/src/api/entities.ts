/** Catalog entity reads: one entity by name, pages by query, batches by ref, facet counts. */
import { query } from "@solidjs/router";
import type { ByRefsResponse, FacetsResponse, QueryEntitiesResponse } from "../../../contract/catalog-api";
import type { Entity, PartialEntity } from "../../../contract/entity";
import { byNamePath, entityQueryPath, facetsPath, type EntityQuery } from "./params";
import { takeEarlyResponse } from "./early";
import { request } from "./request";

/** `GET /entities/by-name/:kind/:namespace/:name`, cached per ref for the router's preload. */
export const getEntity = query((kind: string, namespace: string, name: string) => {
  const path = byNamePath(kind, namespace, name);
  return request<Entity>(path, { pending: takeEarlyResponse(path) });
}, "entity");

export function queryEntities<T = PartialEntity>(q: EntityQuery, signal?: AbortSignal): Promise<QueryEntitiesResponse<T>> {
  const path = entityQueryPath(q);
  return request<QueryEntitiesResponse<T>>(path, { signal, pending: takeEarlyResponse(path) });
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

export function fetchFacets(facets: readonly string[], filter: readonly string[] = [], signal?: AbortSignal): Promise<FacetsResponse> {
  const path = facetsPath(facets, filter);
  return request<FacetsResponse>(path, { signal, pending: takeEarlyResponse(path) });
}

export const getFacets = query((facets: readonly string[], filter: readonly string[] = []) => fetchFacets(facets, filter), "facets");

export { LIST_FIELDS, SUMMARY_FIELDS } from "./list-fields";
