/**
 * Turns an EntityFilter into one SQL compound select of matching entity ids, driven by the indexes
 * search(key, value, entity_id) and relations(target_ref, type): ANDed statements INTERSECT, ORed filters
 * UNION. Values travel as one JSON parameter per statement, so D1's 100-bound-parameter cap never applies.
 */
import type { EntityFilter, FilterStatement } from "../query";

export interface SqlFragment {
  sql: string;
  params: unknown[];
}

function statementSql(s: FilterStatement): SqlFragment {
  if (s.key.startsWith("relations.")) {
    // Relations are not in the search table (another entity's write can add one), so ask relations directly.
    const type = s.key.slice("relations.".length);
    if (s.values === null) {
      return {
        sql: "SELECT e.id AS id FROM relations r JOIN entities e ON e.ref = r.source_ref WHERE lower(r.type) = ?",
        params: [type],
      };
    }
    return {
      sql:
        "SELECT e.id AS id FROM relations r JOIN entities e ON e.ref = r.source_ref " +
        "WHERE r.target_ref IN (SELECT value FROM json_each(?)) AND lower(r.type) = ?",
      params: [JSON.stringify(s.values), type],
    };
  }
  if (s.values === null) return { sql: "SELECT entity_id AS id FROM search WHERE key = ?", params: [s.key] };
  if (s.values.length === 1) {
    return { sql: "SELECT entity_id AS id FROM search WHERE key = ? AND value = ?", params: [s.key, s.values[0]] };
  }
  return {
    sql: "SELECT entity_id AS id FROM search WHERE key = ? AND value IN (SELECT value FROM json_each(?))",
    params: [s.key, JSON.stringify(s.values)],
  };
}

/** Combines id selects with one compound operator; each operand is wrapped so precedence stays explicit. */
function combine(parts: SqlFragment[], op: "INTERSECT" | "UNION"): SqlFragment {
  if (parts.length === 1) return parts[0];
  return {
    sql: parts.map((p) => `SELECT id FROM (${p.sql})`).join(` ${op} `),
    params: parts.flatMap((p) => p.params),
  };
}

/**
 * SQL selecting the ids (column `id`) of entities matching the filter and the extra ANDed conditions,
 * or null when nothing restricts the set (every entity matches).
 */
export function matchingIdsSql(filter: EntityFilter | undefined, extra: SqlFragment[] = []): SqlFragment | null {
  const alternatives = (filter?.anyOf ?? []).map((all) => combine(all.map(statementSql), "INTERSECT"));
  const parts: SqlFragment[] = [];
  if (alternatives.length) parts.push(combine(alternatives, "UNION"));
  parts.push(...extra);
  return parts.length ? combine(parts, "INTERSECT") : null;
}

/** The FTS5 query for a substring match of `term` in the given columns (trigram tokens need ≥ 3 characters). */
export function ftsMatch(term: string, columns: string[]): string {
  const phrase = `"${term.replaceAll('"', '""')}"`;
  return columns.length ? `{${columns.join(" ")}} : ${phrase}` : phrase;
}

/** Maps search-index keys to the FTS5 columns that hold the same text. */
export const FTS_COLUMNS: Record<string, string> = {
  "metadata.name": "name",
  "metadata.title": "title",
  "metadata.description": "description",
  "metadata.tags": "tags",
};

/**
 * Backstage's fullTextFilter: a case-insensitive substring match on the indexed values of `fields`.
 * Cheap path: every field has an FTS5 column and the term has ≥ 3 characters → one trigram MATCH.
 * Expensive path: LIKE over the search rows of those keys.
 */
export function fullTextSql(term: string, fields: string[]): SqlFragment {
  const keys = fields.map((f) => f.toLowerCase());
  const columns = keys.map((k) => FTS_COLUMNS[k]);
  if ([...term].length >= 3 && columns.every(Boolean)) {
    return { sql: "SELECT rowid AS id FROM entities_fts WHERE entities_fts MATCH ?", params: [ftsMatch(term, columns)] };
  }
  const escaped = term.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  return {
    sql: "SELECT entity_id AS id FROM search WHERE key IN (SELECT value FROM json_each(?)) AND value LIKE ? ESCAPE '\\'",
    params: [JSON.stringify(keys), `%${escaped}%`],
  };
}
