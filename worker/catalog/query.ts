/**
 * Parsing of Backstage's query parameters (filter, fields, order, orderField, cursor) into plain values,
 * with Backstage's error messages. No SQL here: store/filter-sql.ts turns an EntityFilter into SQL.
 */
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
  return { anyOf };
}

/** `fields=a,b&fields=c` → ['a','b','c']; rejects array syntax like Backstage. */
export function parseFieldsParams(params: string[]): string[] | undefined {
  const fields = params.flatMap((p) => p.split(",")).map((f) => f.trim()).filter(Boolean);
  for (const f of fields) {
    if (f.includes("[")) throw new ApiError("InputError", `Invalid field "${f}", array type fields are not supported`);
  }
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
  return params.map((p) => {
    const m = /^(asc|desc):(.+)$/i.exec(p.trim());
    if (!m) throw new ApiError("InputError", `Invalid order parameter "${p}", expected "<asc or desc>:<field name>"`);
    return { order: m[1].toLowerCase() as "asc" | "desc", field: m[2].trim().toLowerCase() };
  });
}

export function parseIntParam(
  value: string | undefined,
  name: "limit" | "offset",
  { min, max }: { min: number; max: number },
): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) {
    throw new ApiError(
      "InputError",
      name === "limit" ? "Invalid limit, must be greater than zero" : "Invalid offset, must be zero or greater",
    );
  }
  return Math.min(n, max);
}

/** Base64 of UTF-8 JSON: catalog-client decodes cursors with atob + JSON.parse to look for a `query` key. */
export function encodeCursor(value: unknown): string {
  const bytes = new TextEncoder().encode(JSON.stringify(value));
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin);
}

export function decodeCursor<T>(cursor: string, check: (v: unknown) => v is T): T {
  try {
    const bin = atob(cursor);
    const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    const value: unknown = JSON.parse(new TextDecoder().decode(bytes));
    if (check(value)) return value;
  } catch {
    // fall through to the uniform error below
  }
  throw new ApiError("InputError", "Malformed cursor: could not be decoded");
}
