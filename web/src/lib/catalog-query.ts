/**
 * The catalog explorer's API reads for a filter state: the by-query page request and the facet-count
 * requests. Pure, so vite.config.ts can compute the default view's reads for index.html's early fetch.
 */
import { LIST_FIELDS } from "../api/list-fields";
import { entityQueryPath, type EntityQuery, facetsPath } from "../api/params";
import { type CatalogFilterState, defaultFilterState, facetRequests, FULL_TEXT_FIELDS, SORT_FIELDS, toApiFilters } from "./filter-state";

export const FIRST_PAGE_SIZE = 100;
export const PAGE_SIZE = 250;

/** null when nothing can match (a starred view without stars, "owned by me" without ownership claims). */
export function catalogQuery(state: CatalogFilterState, starredRefs: readonly string[], ownershipRefs: readonly string[] = []): EntityQuery | null {
  const filter = toApiFilters(state, { starredRefs: state.starred ? starredRefs : [], ownershipRefs });
  if (filter === null) return null;
  return {
    filter,
    fields: LIST_FIELDS,
    orderField: [SORT_FIELDS[state.sort], state.order] as const,
    fullTextFilterTerm: state.q || undefined,
    fullTextFilterFields: state.q ? FULL_TEXT_FIELDS : undefined,
  };
}

/** Paths of the reads `/catalog` (no query string) makes first: the first page, then the facet counts. */
export function defaultCatalogReads(): string[] {
  const state = defaultFilterState();
  const q = catalogQuery(state, [])!;
  return [entityQueryPath({ ...q, limit: FIRST_PAGE_SIZE }), ...facetRequests(state).map((r) => facetsPath(r.facets, r.filter))];
}
