/**
 * A plugin's storage: named tables of JSON rows keyed by strings, every call scoped to the plugin's id
 * (worker/plugins/store.ts has the SQL). Keys, table names and values are checked before D1 sees them,
 * so a bad key is a 400 and a full quota a QuotaExceededError, never a 500.
 */
import type { JsonValue, PluginStorage, PluginTable, StorageListOptions, StoredRow } from "../../../contract/plugin-worker";
import { ApiError } from "../../errors";
import { deleteRange, deleteRow, getRow, insertRow, listRows, putRow, usageOf, type KeyRange, type RowLimits } from "../store";

export interface StorageLimits extends RowLimits {
  maxKeyBytes: number;
  maxValueBytes: number;
}

export const DEFAULT_STORAGE_LIMITS: StorageLimits = {
  maxRows: 100_000,
  maxBytes: 64 * 1024 * 1024,
  maxKeyBytes: 512,
  maxValueBytes: 512 * 1024,
};

const DEFAULT_LIST_LIMIT = 100;
const MAX_LIST_LIMIT = 1000;
const TABLE_NAME = /^[a-z][a-z0-9_-]{0,63}$/;
/** Lone surrogates would be replaced when encoded (two keys becoming one); NUL is cut by some SQLite functions. */
const UNSTORABLE = /[\uD800-\uDFFF\u0000]/u;

const encoder = new TextEncoder();
const byteLength = (s: string) => encoder.encode(s).byteLength;

function checkKey(key: unknown, what: string, maxBytes: number, allowEmpty: boolean): string {
  if (typeof key !== "string") throw new ApiError("InputError", `Storage ${what} must be a string`);
  if (!allowEmpty && key === "") throw new ApiError("InputError", `Storage ${what} must not be empty`);
  if (UNSTORABLE.test(key)) throw new ApiError("InputError", `Storage ${what} contains NUL or an unpaired surrogate`);
  if (byteLength(key) > maxBytes) throw new ApiError("InputError", `Storage ${what} is longer than ${maxBytes} bytes`);
  return key;
}

/**
 * The smallest string greater than every string starting with `prefix` (null: there is none), in code point
 * order, which is the UTF-8 byte order SQLite compares TEXT in. [prefix, next) is then exactly the keys
 * starting with prefix, and the primary key index serves the range.
 */
export function prefixEnd(prefix: string): string | null {
  const points = Array.from(prefix, (ch) => ch.codePointAt(0)!);
  while (points.length) {
    let last = points.pop()! + 1;
    if (last === 0xd800) last = 0xe000;
    if (last <= 0x10ffff) return String.fromCodePoint(...points, last);
  }
  return null;
}

function rangeOf(prefix: string, after?: string): KeyRange {
  return { lo: prefix, hi: prefixEnd(prefix), after };
}

function encodeValue(value: unknown, maxBytes: number): { json: string; bytes: number } {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    throw new ApiError("InputError", `Storage values must be JSON: ${(err as Error).message}`);
  }
  if (json === undefined) throw new ApiError("InputError", "Storage values must be JSON (got undefined or a function)");
  const bytes = byteLength(json);
  if (bytes > maxBytes) throw new ApiError("PayloadTooLargeError", `Storage values are limited to ${maxBytes} bytes of JSON; this one is ${bytes}`);
  return { json, bytes };
}

function listLimit(limit: unknown): number {
  if (limit === undefined) return DEFAULT_LIST_LIMIT;
  if (typeof limit !== "number" || !Number.isInteger(limit) || limit < 1 || limit > MAX_LIST_LIMIT) {
    throw new ApiError("InputError", `Storage list limit must be an integer from 1 to ${MAX_LIST_LIMIT}`);
  }
  return limit;
}

export function createPluginStorage(db: D1Database, pluginId: string, limits: StorageLimits = DEFAULT_STORAGE_LIMITS): PluginStorage {
  const full = async (total: number): Promise<never> => {
    const used = await usageOf(db, pluginId);
    throw new ApiError(
      "QuotaExceededError",
      `Plugin ${pluginId}'s storage is full: ${used.rows} of ${limits.maxRows} rows, ${used.bytes} of ${limits.maxBytes} bytes used; this write needs ${total} bytes`,
    );
  };
  const table = <T = JsonValue>(name: string): PluginTable<T> => {
    if (typeof name !== "string" || !TABLE_NAME.test(name)) {
      throw new ApiError("InputError", `Storage table names are 1-64 characters of a-z, 0-9, '_' and '-', starting with a letter`);
    }
    const key = (k: unknown) => checkKey(k, "key", limits.maxKeyBytes, false);
    return {
      async get(k) {
        const json = await getRow(db, pluginId, name, key(k));
        return json === null ? undefined : (JSON.parse(json) as T);
      },
      async put(k, value) {
        const checked = key(k);
        const { json, bytes } = encodeValue(value, limits.maxValueBytes);
        const total = bytes + byteLength(checked);
        if (!(await putRow(db, pluginId, name, checked, json, total, limits, Date.now()))) await full(total);
      },
      async create(k, value) {
        const checked = key(k);
        const { json, bytes } = encodeValue(value, limits.maxValueBytes);
        const total = bytes + byteLength(checked);
        const outcome = await insertRow(db, pluginId, name, checked, json, total, limits, Date.now());
        if (outcome === "full") await full(total);
        return outcome === "created";
      },
      async delete(k) {
        return deleteRow(db, pluginId, name, key(k));
      },
      async list(options: StorageListOptions = {}) {
        const prefix = options.prefix === undefined ? "" : checkKey(options.prefix, "prefix", limits.maxKeyBytes, true);
        const cursor = options.cursor === undefined ? undefined : checkKey(options.cursor, "cursor", limits.maxKeyBytes, false);
        const limit = listLimit(options.limit);
        const rows = await listRows(db, pluginId, name, rangeOf(prefix, cursor), limit + 1);
        const page = rows.slice(0, limit);
        const items: StoredRow<T>[] = page.map((r) => ({ key: r.key, value: JSON.parse(r.value) as T, updatedAt: r.updatedAt }));
        return rows.length > limit ? { items, nextCursor: page[page.length - 1].key } : { items };
      },
      async deletePrefix(prefix) {
        return deleteRange(db, pluginId, name, rangeOf(checkKey(prefix, "prefix", limits.maxKeyBytes, true)));
      },
    };
  };
  return {
    table,
    async usage() {
      const used = await usageOf(db, pluginId);
      return { ...used, maxRows: limits.maxRows, maxBytes: limits.maxBytes };
    },
  };
}
