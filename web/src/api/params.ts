/** Query-string building for the catalog API: repeated keys, filter strings and cursor paging rules. */

export type ParamValue = string | number | boolean | null | undefined | readonly (string | number)[];

/** `{a: 1, b: ["x", "y"], c: undefined}` → `a=1&b=x&b=y`. Empty strings and empty arrays are left out. */
export function buildQuery(params: Record<string, ParamValue>): string {
  const sp = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value === undefined || value === null || value === "" || value === false) continue;
    if (Array.isArray(value)) {
      for (const v of value) if (v !== "") sp.append(key, String(v));
    } else {
      sp.append(key, String(value));
    }
  }
  return sp.toString();
}

/** `path` plus `?query` when there is one. */
export function withQuery(path: string, params: Record<string, ParamValue>): string {
  const qs = buildQuery(params);
  return qs ? `${path}?${qs}` : path;
}

/**
 * One Backstage filter string: statements are ANDed, repeated keys OR their values.
 * `{kind: ["component"], "spec.type": ["service", "website"]}` → `kind=component,spec.type=service,spec.type=website`.
 * A key with an empty list is skipped; `true` means "the key exists". Commas cannot be escaped in the
 * filter syntax, so values containing one are dropped rather than sent as a different filter.
 */
export function buildFilterString(conditions: Record<string, readonly string[] | true | undefined>): string {
  const parts: string[] = [];
  for (const [key, values] of Object.entries(conditions)) {
    if (values === undefined) continue;
    if (values === true) {
      parts.push(key);
      continue;
    }
    for (const v of values) {
      const value = v.trim();
      if (!value || value.includes(",")) continue;
      parts.push(`${key}=${value}`);
    }
  }
  return parts.join(",");
}

export interface EntityQuery {
  /** Filter strings; separate strings are ORed by the server. */
  filter?: readonly string[];
  fields?: readonly string[];
  /** `[field, order]`; only the first order field is honoured by the server. */
  orderField?: readonly [string, "asc" | "desc"];
  fullTextFilterTerm?: string;
  fullTextFilterFields?: readonly string[];
  cursor?: string;
  limit?: number;
}

/**
 * Parameters of `GET /entities/by-query`. With a cursor the server ignores filter, order and full-text
 * parameters (the cursor carries them), so only `cursor`, `fields` and `limit` are sent.
 */
export function entityQueryParams(q: EntityQuery): Record<string, ParamValue> {
  const fields = q.fields && q.fields.length ? q.fields.join(",") : undefined;
  if (q.cursor) return { cursor: q.cursor, fields, limit: q.limit };
  const term = q.fullTextFilterTerm?.trim();
  return {
    filter: (q.filter ?? []).filter((f) => f.length > 0),
    fields,
    orderField: q.orderField ? `${q.orderField[0]},${q.orderField[1]}` : undefined,
    fullTextFilterTerm: term || undefined,
    fullTextFilterFields: term && q.fullTextFilterFields?.length ? q.fullTextFilterFields.join(",") : undefined,
    limit: q.limit,
  };
}

export function entityQueryPath(q: EntityQuery): string {
  return withQuery("/api/catalog/entities/by-query", entityQueryParams(q));
}

export function facetsPath(facets: readonly string[], filter: readonly string[] = []): string {
  return withQuery("/api/catalog/entity-facets", { facet: facets, filter: filter.filter((f) => f.length > 0) });
}

/** Edgestage's provenance read for one entity (web/public/boot.js starts it early on entity pages). */
export function entityInfoPath(kind: string, namespace: string, name: string): string {
  return `/api/catalog/entity-info/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}

/** `/api/catalog/entities/by-name/:kind/:namespace/:name`, each part encoded. */
export function byNamePath(kind: string, namespace: string, name: string): string {
  return `/api/catalog/entities/by-name/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`;
}
