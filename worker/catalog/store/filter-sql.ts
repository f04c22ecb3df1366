/**
 * Turns an EntityFilter into one SQL compound select of matching entity ids, driven by the indexes
 * search(key, value, entity_id) and relations(target_ref, type): ANDed statements INTERSECT, ORed filters
 * UNION. Values travel as one JSON parameter per statement, so a statement binds at most two parameters
 * however many values it lists (PARAMETERS_PER_STATEMENT in query.ts, which caps the statements so a read
 * stays within D1's 100 bound parameters).
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

/** D1 refuses a compound select of more than 5 terms ("too many terms in compound SELECT"). */
const MAX_COMPOUND_TERMS = 5;

/**
 * Combines id selects with one compound operator; each operand is wrapped so precedence stays explicit.
 * Both operators are associative, so longer lists are combined in nested groups of at most
 * MAX_COMPOUND_TERMS, each group a subquery of its own.
 */
function combine(parts: SqlFragment[], op: "INTERSECT" | "UNION"): SqlFragment {
  if (parts.length === 1) return parts[0];
  if (parts.length > MAX_COMPOUND_TERMS) {
    const groups: SqlFragment[] = [];
    const size = Math.ceil(parts.length / MAX_COMPOUND_TERMS);
    for (let i = 0; i < parts.length; i += size) groups.push(combine(parts.slice(i, i + size), op));
    return combine(groups, op);
  }
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

/** Maps search-index keys to the FTS5 columns that hold the same text (a Map: field names are user input). */
const FTS_COLUMNS: ReadonlyMap<string, string> = new Map([
  ["metadata.name", "name"],
  ["metadata.title", "title"],
  ["metadata.description", "description"],
  ["metadata.tags", "tags"],
]);

/**
 * Backstage's fullTextFilter: a case-insensitive substring match on the indexed values of `fields`.
 * Cheap path: every field has an FTS5 column and the term has ≥ 3 characters → one trigram MATCH.
 * Expensive path: LIKE over the search rows of those keys.
 */
export function fullTextSql(term: string, fields: string[]): SqlFragment {
  const keys = fields.map((f) => f.toLowerCase());
  const columns = keys.map((k) => FTS_COLUMNS.get(k));
  if ([...term].length >= 3 && columns.every(Boolean)) {
    return { sql: "SELECT rowid AS id FROM entities_fts WHERE entities_fts MATCH ?", params: [ftsMatch(term, columns as string[])] };
  }
  const escaped = term.replace(/[\\%_]/g, (ch) => `\\${ch}`);
  return {
    sql: "SELECT entity_id AS id FROM search WHERE key IN (SELECT value FROM json_each(?)) AND value LIKE ? ESCAPE '\\'",
    params: [JSON.stringify(keys), `%${escaped}%`],
  };
}

/**
 * The filter as a boolean SQL expression over one entity (`idExpr` its row id, `refExpr` its ref): each
 * statement an EXISTS probe of the search(key, value, entity_id) index. Used when rows are walked in an
 * order (row id, or an order field's index) and the walk stops after a page: no matching set is built.
 */
export function entityPredicateSql(filter: EntityFilter | undefined, idExpr: string, refExpr: string): SqlFragment | null {
  const alternatives = (filter?.anyOf ?? []).map((all) => {
    const parts = all.map((s) => statementPredicate(s, idExpr, refExpr));
    return { sql: parts.map((p) => p.sql).join(" AND "), params: parts.flatMap((p) => p.params) };
  });
  if (!alternatives.length) return null;
  return {
    sql: alternatives.length === 1 ? alternatives[0].sql : alternatives.map((a) => `(${a.sql})`).join(" OR "),
    params: alternatives.flatMap((a) => a.params),
  };
}

/** The search_keys id of the key bound at this point (NULL for a key never indexed, which matches no row). */
export const KEY_ID = "(SELECT id FROM search_keys WHERE key = ?)";

function statementPredicate(s: FilterStatement, idExpr: string, refExpr: string): SqlFragment {
  if (s.key.startsWith("relations.")) {
    const type = s.key.slice("relations.".length);
    return s.values === null
      ? { sql: `EXISTS (SELECT 1 FROM relations r WHERE r.source_ref = ${refExpr} AND lower(r.type) = ?)`, params: [type] }
      : {
          sql: `EXISTS (SELECT 1 FROM relations r WHERE r.source_ref = ${refExpr} AND lower(r.type) = ? AND r.target_ref IN (SELECT value FROM json_each(?)))`,
          params: [type, JSON.stringify(s.values)],
        };
  }
  // Probes run once per walked row: they read search_rows with the key's id looked up once per statement
  // (an uncorrelated subquery), not the search view, which would look the key up again in every probe.
  if (s.values === null) return { sql: `EXISTS (SELECT 1 FROM search_rows f WHERE f.entity_id = ${idExpr} AND f.key_id = ${KEY_ID})`, params: [s.key] };
  if (s.values.length === 1) {
    return { sql: `EXISTS (SELECT 1 FROM search_rows f WHERE f.key_id = ${KEY_ID} AND f.value = ? AND f.entity_id = ${idExpr})`, params: [s.key, s.values[0]] };
  }
  return {
    sql: `EXISTS (SELECT 1 FROM search_rows f WHERE f.key_id = ${KEY_ID} AND f.value IN (SELECT value FROM json_each(?)) AND f.entity_id = ${idExpr})`,
    params: [s.key, JSON.stringify(s.values)],
  };
}

/**
 * Picks the statement whose index range drives a walk in row-id order: an equality on one value, so
 * search(key, value, entity_id) yields ids already sorted. `kind` matches large shares of the catalog,
 * so another key is preferred. Only for a single ANDed alternative; null otherwise.
 */
export function pickDriver(filter: EntityFilter | undefined): { driver: FilterStatement; rest: EntityFilter } | null {
  const anyOf = filter?.anyOf ?? [];
  if (anyOf.length !== 1) return null;
  const candidates = anyOf[0].filter((s) => s.values?.length === 1 && !s.key.startsWith("relations."));
  if (!candidates.length) return null;
  const driver = candidates.find((s) => s.key !== "kind") ?? candidates[0];
  const others = anyOf[0].filter((s) => s !== driver);
  return { driver, rest: { anyOf: others.length ? [others] : [] } };
}
