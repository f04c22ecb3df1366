/**
 * Entity facets. Cheap path: the portal's facet keys are counted at write time (facet_counts, kept by each
 * write batch, store/derived.ts) for the whole catalog and per kind, so an unfiltered or `kind=<x>` facet
 * request reads a few dozen rows. Expensive path, for any other filter: group the search rows of the matching ids.
 */
import type { EntityFilter } from "../query";
import { matchingIdsSql } from "./filter-sql";
import { COUNTED_FACET_KEYS } from "./facet-keys";

export type Facets = Record<string, { value: string; count: number }[]>;

/** The scope facet_counts can answer for: '' (no filter) or a single `kind=<value>` statement. */
function countedScope(filter: EntityFilter | undefined): string | null {
  const anyOf = filter?.anyOf ?? [];
  if (!anyOf.length) return "";
  if (anyOf.length !== 1 || anyOf[0].length !== 1) return null;
  const [s] = anyOf[0];
  return s.key === "kind" && s.values?.length === 1 ? s.values[0] : null;
}

export async function getFacets(db: D1Database, facets: string[], filter?: EntityFilter): Promise<Facets> {
  const requested = [...new Set(facets)];
  const keys = requested.map((f) => f.toLowerCase());
  const scope = countedScope(filter);
  let rows: { key: string; value: string; count: number }[];
  if (scope !== null && keys.every((k) => COUNTED_FACET_KEYS.has(k))) {
    ({ results: rows } = await db
      .prepare("SELECT key, value, count FROM facet_counts WHERE scope = ? AND key IN (SELECT value FROM json_each(?))")
      .bind(scope, JSON.stringify(keys))
      .all());
  } else {
    const ids = matchingIdsSql(filter);
    ({ results: rows } = await db
      .prepare(
        "SELECT key, original_value AS value, count(*) AS count FROM search " +
          "WHERE key IN (SELECT value FROM json_each(?)) AND original_value IS NOT NULL" +
          (ids ? ` AND entity_id IN (${ids.sql})` : "") +
          " GROUP BY key, original_value",
      )
      .bind(JSON.stringify(keys), ...(ids?.params ?? []))
      .all());
  }
  // Facet names are user input: defineProperty keeps a facet named `__proto__` an ordinary key.
  const out: Facets = {};
  requested.forEach((f, i) => {
    const values = rows
      .filter((r) => r.key === keys[i])
      .map((r) => ({ value: r.value, count: r.count }))
      .sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
    Object.defineProperty(out, f, { value: values, enumerable: true, writable: true, configurable: true });
  });
  return out;
}
