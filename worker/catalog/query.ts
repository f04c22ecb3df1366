/**
 * Backstage's query parameters (filter, fields, order, orderField, limit, offset, cursor) as valibot schemas
 * producing plain values, with Backstage's error messages, and the caps that keep every accepted query
 * within D1's limits. No SQL here: store/filter-sql.ts turns an EntityFilter into SQL.
 */
import * as v from "valibot";
import { ApiError } from "../errors";

/** One statement of a filter: `key=v1` / `key=v2` (ORed values) or a bare `key` (exists). */
export interface FilterStatement {
  key: string;
  /** Lower-cased values; null means "the key exists". */
  values: string[] | null;
}
/** ORed list of ANDed statement lists. An empty `anyOf` means no filter. */
export interface EntityFilter {
  anyOf: FilterStatement[][];
}

/**
 * STEP: the budget. D1 binds at most 100 parameters per statement ("too many SQL variables" beyond). A
 * filter statement binds two (its key and its values as one JSON array; a relation statement its type and
 * its targets), whatever the number of values. A read binds at most 10 besides its filter: by-query's order
 * key, full-text pair, cursor pair and limit (6); GET /entities' order fields (one each), ref cursor, limit
 * and offset (MAX_ORDER_FIELDS + 3). The rest is the filter's.
 */
export const D1_MAX_BOUND_PARAMETERS = 100;
export const PARAMETERS_PER_STATEMENT = 2;
export const MAX_ORDER_FIELDS = 5;
const NON_FILTER_PARAMETERS = 10;
/** 45: statements across all `filter` parameters of one request (or one cursor). */
export const MAX_FILTER_STATEMENTS = Math.floor((D1_MAX_BOUND_PARAMETERS - NON_FILTER_PARAMETERS) / PARAMETERS_PER_STATEMENT);

/** Rows per page, on every paged entity read. */
export const MAX_LIMIT = 10_000;
/** by-query reads every row up to offset + limit (the cursor is the way to page further). */
export const MAX_QUERY_WINDOW = 10_000;
/**
 * GET /entities skips offset rows in SQL, walking the index without reading them; ten times the catalog the
 * worker is sized for (100,000 entities) still bounds that walk.
 */
export const MAX_LIST_OFFSET = 1_000_000;
/** `fields` paths per request (each is walked on every returned entity). */
export const MAX_FIELDS = 100;
/** Any one query parameter value: Cloudflare refuses URLs above 16 KB anyway. */
export const MAX_PARAM_CHARS = 16 * 1024;
/** Repeats of a parameter whose extra values are ignored or cheap (facet, orderField, ...). */
const MAX_REPEATS = 100;

function checkFilterSize(filter: EntityFilter): EntityFilter {
  const statements = filter.anyOf.reduce((n, all) => n + all.length, 0);
  if (statements > MAX_FILTER_STATEMENTS) {
    throw new ApiError(
      "InputError",
      `Too many filter statements (${statements}): at most ${MAX_FILTER_STATEMENTS} are allowed across all filter parameters`,
    );
  }
  return filter;
}

/** Parses repeated `filter` params: params are ORed, comma-separated statements ANDed, repeated keys ORed. */
export function parseFilterParams(params: string[]): EntityFilter {
  const anyOf: FilterStatement[][] = [];
  for (const param of params) {
    const byKey = new Map<string, FilterStatement>();
    for (const raw of param.split(",")) {
      const statement = raw.trim();
      if (!statement) continue;
      const eq = statement.indexOf("=");
      const key = (eq === -1 ? statement : statement.slice(0, eq)).trim().toLowerCase();
      if (!key) {
        throw new ApiError(
          "InputError",
          `Invalid filter, '${statement}' is not a valid statement (expected a string on the form a=b or a= or a)`,
        );
      }
      const value = eq === -1 ? null : statement.slice(eq + 1).trim().toLowerCase();
      const existing = byKey.get(key);
      if (value === null) {
        // A bare key is the loosest condition: it subsumes any value listed for the same key.
        byKey.set(key, { key, values: null });
      } else if (!existing) {
        byKey.set(key, { key, values: [value] });
      } else if (existing.values) {
        existing.values.push(value);
      }
    }
    if (byKey.size) anyOf.push([...byKey.values()]);
  }
  return checkFilterSize({ anyOf });
}

/** `fields=a,b&fields=c` → ['a','b','c']; rejects array syntax like Backstage. */
export function parseFieldsParams(params: string[], name = "fields"): string[] | undefined {
  const fields = params.flatMap((p) => p.split(",")).map((f) => f.trim()).filter(Boolean);
  for (const f of fields) {
    if (f.includes("[")) throw new ApiError("InputError", `Invalid field "${f}", array type fields are not supported`);
  }
  if (fields.length > MAX_FIELDS) throw new ApiError("InputError", `Too many ${name} (${fields.length}): at most ${MAX_FIELDS} are allowed`);
  return fields.length ? fields : undefined;
}

export interface OrderField {
  field: string;
  order: "asc" | "desc";
}

/** by-query's `orderField=<field>,asc|desc`; only the first one is used, as in Backstage. */
export function parseOrderFieldParams(params: string[]): OrderField | undefined {
  const first = params[0];
  if (first === undefined) return undefined;
  const [field, order = "asc"] = first.split(",").map((s) => s.trim());
  if (!field) throw new ApiError("InputError", `Invalid order field "${first}", expected "<field>,<asc or desc>"`);
  const o = order.toLowerCase();
  if (o !== "asc" && o !== "desc") throw new ApiError("InputError", "Invalid order field order, must be asc or desc");
  return { field: field.toLowerCase(), order: o };
}

/** Legacy GET /entities `order=asc:<field>`. */
export function parseOrderParams(params: string[]): OrderField[] {
  if (params.length > MAX_ORDER_FIELDS) {
    throw new ApiError("InputError", `Too many order parameters (${params.length}): at most ${MAX_ORDER_FIELDS} are allowed`);
  }
  return params.map((p) => {
    const m = /^(asc|desc):(.+)$/i.exec(p.trim());
    if (!m) throw new ApiError("InputError", `Invalid order parameter "${p}", expected "<asc or desc>:<field name>"`);
    return { order: m[1].toLowerCase() as "asc" | "desc", field: m[2].trim().toLowerCase() };
  });
}

/** An integer parameter; out of range is an InputError naming the parameter and the bound. */
export function parseIntParam(value: string, name: string, { min, max }: { min: number; max: number }): number | undefined {
  if (value === "") return undefined;
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) {
    throw new ApiError("InputError", min > 0 ? `Invalid ${name}, must be greater than zero` : `Invalid ${name}, must be zero or greater`);
  }
  if (n > max) throw new ApiError("InputError", `Invalid ${name}, must be at most ${max}`);
  return n;
}

/** Base64 of UTF-8 JSON: catalog-client decodes cursors with atob + JSON.parse to look for a `query` key. */
export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

function decodeCursorJson(cursor: string): unknown {
  try {
    const bin = atob(cursor);
    const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    return JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)) as unknown;
  } catch {
    throw new ApiError("InputError", "Malformed cursor: could not be decoded");
  }
}

/* ---------------------------------------------------------------------------------------------------------
 * Schemas. Hono hands a query parameter over as a string, or an array when it is repeated.
 * ------------------------------------------------------------------------------------------------------- */

/** Runs a parse function that throws InputErrors (with Backstage's wording) as a schema step. */
export function parsedBy<I, O>(parse: (input: I) => O) {
  return v.rawTransform<I, O>(({ dataset, addIssue, NEVER }) => {
    try {
      return parse(dataset.value);
    } catch (e) {
      if (!(e instanceof ApiError)) throw e;
      addIssue({ message: e.message });
      return NEVER;
    }
  });
}

const raw = v.union([v.string(), v.array(v.string())]);
const tooLong = (name: string) => `Invalid ${name}, a value must be at most ${MAX_PARAM_CHARS} characters`;

/** The first value of a parameter, as `c.req.query(name)` reads it. */
export function firstParam(name: string) {
  return v.pipe(
    raw,
    v.transform((x) => (Array.isArray(x) ? x[0] : x)),
    v.maxLength(MAX_PARAM_CHARS, tooLong(name)),
  );
}

/** Every value of a repeated parameter, as `c.req.queries(name)` reads them. */
export function allParams(name: string, maxRepeats = MAX_REPEATS) {
  return v.pipe(
    raw,
    v.transform((x) => (Array.isArray(x) ? x : [x])),
    v.maxLength(maxRepeats, `Too many ${name} parameters: at most ${maxRepeats} are allowed`),
    v.check((items) => items.every((item) => item.length <= MAX_PARAM_CHARS), tooLong(name)),
  );
}

/** An optional text parameter; empty means absent, as `c.req.query(name) || undefined` read it. */
export function textParam(name: string) {
  return v.optional(v.pipe(firstParam(name), v.transform((s) => s || undefined)));
}

export const filterParam = v.optional(v.pipe(allParams("filter", MAX_FILTER_STATEMENTS), parsedBy(parseFilterParams)), []);
export const fieldsParam = v.optional(v.pipe(allParams("fields"), parsedBy((p: string[]) => parseFieldsParams(p))));

export function intParam(name: string, range: { min: number; max: number }) {
  return v.optional(v.pipe(firstParam(name), parsedBy((s: string) => parseIntParam(s.trim(), name, range))));
}

/** A base64 JSON cursor checked against its schema: a cursor is input like any other. */
export function cursorParam<S extends v.GenericSchema>(name: string, schema: S) {
  return v.pipe(firstParam(name), v.minLength(1, `Invalid ${name}, must not be empty`), parsedBy(decodeCursorJson), schema);
}

/** The same, where an empty value means no cursor. */
export function optionalCursorParam<S extends v.GenericSchema>(name: string, schema: S) {
  return v.optional(v.pipe(firstParam(name), parsedBy((s: string) => (s === "" ? undefined : decodeCursorJson(s))), v.optional(schema)));
}

const text = (max = MAX_PARAM_CHARS) => v.pipe(v.string(), v.maxLength(max));
const statement = v.object({ key: v.pipe(text(), v.minLength(1)), values: v.nullable(v.array(text())) });

/** A filter as a cursor carries it: the same shape and the same cap as one parsed from `filter` params. */
export const filterSchema = v.pipe(
  v.object({ anyOf: v.array(v.pipe(v.array(statement), v.minLength(1))) }),
  parsedBy((f: EntityFilter) => checkFilterSize({ anyOf: f.anyOf })),
);

export const orderFieldSchema = v.object({ field: v.pipe(text(), v.minLength(1)), order: v.picklist(["asc", "desc"]) });

export const fullTextSchema = v.object({
  term: v.pipe(text(), v.minLength(1)),
  fields: v.pipe(v.array(v.pipe(text(), v.minLength(1))), v.minLength(1), v.maxLength(MAX_FIELDS)),
});

export const nonNegativeInt = v.pipe(v.number(), v.safeInteger(), v.minValue(0));
