/**
 * Catalog explorer state ⇄ URL query string ⇄ Backstage filter strings.
 * The URL is the source of truth so every view of the catalog is shareable; this module is pure.
 */
import { buildFilterString } from "../api/params";
import { tryParseEntityRef } from "./entity-ref";

export const CATALOG_FACETS = [
  { id: "kind", field: "kind", label: "Kind", param: "kind" },
  { id: "type", field: "spec.type", label: "Type", param: "type" },
  { id: "owner", field: "spec.owner", label: "Owner", param: "owner" },
  { id: "lifecycle", field: "spec.lifecycle", label: "Lifecycle", param: "lifecycle" },
  { id: "tags", field: "metadata.tags", label: "Tags", param: "tag" },
  { id: "namespace", field: "metadata.namespace", label: "Namespace", param: "namespace" },
  { id: "system", field: "spec.system", label: "System", param: "system" },
] as const;

export type FacetId = (typeof CATALOG_FACETS)[number]["id"];

export const SORT_FIELDS = {
  name: "metadata.name",
  kind: "kind",
  type: "spec.type",
  owner: "spec.owner",
  lifecycle: "spec.lifecycle",
  system: "spec.system",
} as const;

export type SortKey = keyof typeof SORT_FIELDS;
export type SortOrder = "asc" | "desc";

export interface CatalogFilterState {
  selected: Record<FacetId, string[]>;
  /** Free text, sent as fullTextFilterTerm. */
  q: string;
  sort: SortKey;
  order: SortOrder;
  /** Only starred entities. */
  starred: boolean;
  /** Only entities owned by the signed-in person or their groups (the session's ownership claims). */
  mine: boolean;
}

/** Fields the free-text box searches (Backstage's UI sends a similar list). */
export const FULL_TEXT_FIELDS = ["metadata.name", "metadata.title", "metadata.description", "spec.profile.displayName"] as const;

function emptySelection(): Record<FacetId, string[]> {
  return { kind: [], type: [], owner: [], lifecycle: [], tags: [], namespace: [], system: [] };
}

export function defaultFilterState(): CatalogFilterState {
  return { selected: emptySelection(), q: "", sort: "name", order: "asc", starred: false, mine: false };
}

function uniq(values: string[]): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const raw of values) {
    const v = raw.trim();
    const key = v.toLowerCase();
    if (!v || seen.has(key)) continue;
    seen.add(key);
    out.push(v);
  }
  return out;
}

/** Reads `?kind=component&type=service&type=website&q=pay&sort=owner&order=desc&starred=1&owned=mine`. */
export function parseFilterState(search: string | URLSearchParams): CatalogFilterState {
  const sp = typeof search === "string" ? new URLSearchParams(search.startsWith("?") ? search.slice(1) : search) : search;
  const state = defaultFilterState();
  for (const f of CATALOG_FACETS) {
    // Accept both repeated params and comma lists (hand-written links).
    state.selected[f.id] = uniq(sp.getAll(f.param).flatMap((v) => v.split(",")));
  }
  state.q = (sp.get("q") ?? "").trim();
  const sort = sp.get("sort");
  if (sort && sort in SORT_FIELDS) state.sort = sort as SortKey;
  state.order = sp.get("order") === "desc" ? "desc" : "asc";
  const starred = sp.get("starred");
  state.starred = starred === "1" || starred === "true";
  state.mine = sp.get("owned") === "mine";
  return state;
}

/** Canonical query string (no leading `?`): facet order fixed, defaults left out. */
export function serializeFilterState(state: CatalogFilterState): string {
  const sp = new URLSearchParams();
  for (const f of CATALOG_FACETS) for (const v of uniq(state.selected[f.id] ?? [])) sp.append(f.param, v);
  if (state.q.trim()) sp.set("q", state.q.trim());
  if (state.sort !== "name") sp.set("sort", state.sort);
  if (state.order !== "asc") sp.set("order", state.order);
  if (state.starred) sp.set("starred", "1");
  if (state.mine) sp.set("owned", "mine");
  return sp.toString();
}

export function hasActiveFilters(state: CatalogFilterState): boolean {
  return state.starred || state.mine || state.q.trim() !== "" || CATALOG_FACETS.some((f) => state.selected[f.id].length > 0);
}

export function toggleFacetValue(state: CatalogFilterState, facet: FacetId, raw: string): CatalogFilterState {
  // Kinds and namespaces are case-insensitive identifiers: keep them lower-case so URLs read the same way.
  const value = facet === "kind" || facet === "namespace" ? raw.toLowerCase() : raw;
  const current = state.selected[facet];
  const has = current.some((v) => v.toLowerCase() === value.toLowerCase());
  const next = has ? current.filter((v) => v.toLowerCase() !== value.toLowerCase()) : [...current, value];
  return { ...state, selected: { ...state.selected, [facet]: next } };
}

export function clearFacet(state: CatalogFilterState, facet: FacetId): CatalogFilterState {
  return { ...state, selected: { ...state.selected, [facet]: [] } };
}

/** Clicking a column header: same column flips the order, another column sorts ascending. */
export function nextSort(state: CatalogFilterState, key: SortKey): CatalogFilterState {
  if (state.sort === key) return { ...state, order: state.order === "asc" ? "desc" : "asc" };
  return { ...state, sort: key, order: "asc" };
}

/**
 * Backstage filter strings for the state, or `null` when nothing can match (starred view with no stars,
 * "owned by me" with no ownership claims). `exclude` leaves one facet's own selection out, for that
 * facet's counts. "Owned by me" ANDs `relations.ownedBy` with every claim ORed (the user and each group,
 * transitively), so an entity owned by a parent group counts, as Backstage's ownership does.
 *
 * Why starred works this way: separate filter params are ORed, so each starred entity becomes one filter
 * string that ANDs its kind/namespace/name with the other selections. Repeating a key inside one string ORs
 * it, so a starred ref whose kind (or namespace) is outside the selected kinds is dropped here instead of
 * being sent as `kind=component,kind=api`, which would widen the match.
 */
export function toApiFilters(
  state: CatalogFilterState,
  opts: { starredRefs?: readonly string[]; exclude?: FacetId; ownershipRefs?: readonly string[] } = {},
): string[] | null {
  const conditions: Record<string, string[]> = {};
  for (const f of CATALOG_FACETS) {
    if (f.id === opts.exclude) continue;
    if (state.selected[f.id].length) conditions[f.field] = state.selected[f.id];
  }
  if (state.mine) {
    const claims = (opts.ownershipRefs ?? []).filter((r) => r && !r.includes(","));
    if (!claims.length) return null;
    conditions["relations.ownedBy"] = [...claims];
  }
  if (!state.starred) {
    const s = buildFilterString(conditions);
    return s ? [s] : [];
  }
  const kinds = (conditions.kind ?? []).map((v) => v.toLowerCase());
  const namespaces = (conditions["metadata.namespace"] ?? []).map((v) => v.toLowerCase());
  const out: string[] = [];
  for (const raw of opts.starredRefs ?? []) {
    const ref = tryParseEntityRef(raw);
    if (!ref) continue;
    if (kinds.length && !kinds.includes(ref.kind.toLowerCase())) continue;
    if (namespaces.length && !namespaces.includes(ref.namespace.toLowerCase())) continue;
    out.push(
      buildFilterString({
        ...conditions,
        kind: [ref.kind],
        "metadata.namespace": [ref.namespace],
        "metadata.name": [ref.name],
      }),
    );
  }
  return out.length ? out : null;
}

export interface FacetRequest {
  facets: string[];
  filter: string[];
}

/**
 * Facet-count requests for the sidebar. A facet's counts ignore its own selection (so picking "service"
 * still shows how many "website"s there are); facets without a selection all share the full filter, so
 * the usual case is one request plus one per facet in use.
 */
export function facetRequests(state: CatalogFilterState, starredRefs: readonly string[] = [], ownershipRefs: readonly string[] = []): FacetRequest[] {
  const groups = new Map<string, FacetRequest>();
  for (const f of CATALOG_FACETS) {
    const filter = toApiFilters(state, { starredRefs, exclude: f.id, ownershipRefs });
    if (filter === null) continue;
    const key = JSON.stringify(filter);
    const group = groups.get(key);
    if (group) group.facets.push(f.field);
    else groups.set(key, { facets: [f.field], filter });
  }
  return [...groups.values()];
}
