/**
 * The plugin's read-only catalog client: the catalog store's own read functions (no HTTP round trip), behind
 * the caller's read permission. Every caller allowed to read sees the whole catalog today (access.ts,
 * VISIBILITY_ALL); when the policy learns to filter reads, this is the one place a plugin's reads follow it.
 */
import type { PluginCaller, PluginCatalog } from "../../../contract/plugin-worker";
import { ApiError } from "../../errors";
import { parseEntityRef, stringifyEntityRef } from "../../catalog/entity-ref";
import { projectFields } from "../../catalog/fields";
import { encodeCursor, parseFilterParams } from "../../catalog/query";
import { getEntityJsonByRef, getEntityJsonsByRefs, queryEntityPage, type KeysetPosition } from "../../catalog/store/read";

const MAX_REFS = 1000;
const DEFAULT_LIMIT = 100;
const MAX_LIMIT = 1000;
const MAX_FIELDS = 100;

interface Cursor {
  filter: string[];
  position: KeysetPosition;
  totalItems: number;
}

function decodeCursor(cursor: string): Cursor {
  try {
    const bytes = Uint8Array.from(atob(cursor), (ch) => ch.charCodeAt(0));
    const c = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(bytes)) as Cursor;
    const p = c.position;
    if (
      Array.isArray(c.filter) && c.filter.every((f) => typeof f === "string") &&
      p && (p.value === null || typeof p.value === "string") && Number.isSafeInteger(p.id) && Number.isSafeInteger(c.totalItems)
    ) return c;
  } catch {
    // reported below
  }
  throw new ApiError("InputError", "Malformed catalog cursor");
}

function refOf(ref: unknown): string {
  if (typeof ref !== "string" || ref.length > 1024) throw new ApiError("InputError", "Entity refs are strings of at most 1024 characters");
  try {
    return stringifyEntityRef(parseEntityRef(ref));
  } catch (err) {
    throw new ApiError("InputError", (err as Error).message);
  }
}

function fieldsOf(fields: readonly string[] | undefined): string[] | undefined {
  if (fields === undefined) return undefined;
  if (fields.length > MAX_FIELDS || !fields.every((f) => typeof f === "string")) throw new ApiError("InputError", `fields: at most ${MAX_FIELDS} strings`);
  return [...fields];
}

export function createPluginCatalog(db: D1Database, caller: PluginCaller): PluginCatalog {
  const mayRead = () => {
    if (!caller.can("catalog.entity.read")) throw new ApiError("NotAllowedError", "Not allowed to read the catalog: catalog.entity.read is not granted to the caller");
  };
  return {
    async getEntityByRef(ref) {
      mayRead();
      const json = await getEntityJsonByRef(db, refOf(ref));
      return json === null ? undefined : (JSON.parse(json) as Record<string, unknown>);
    },
    async getEntitiesByRefs(refs) {
      mayRead();
      if (refs.length > MAX_REFS) throw new ApiError("InputError", `At most ${MAX_REFS} refs per call`);
      const jsons = await getEntityJsonsByRefs(db, refs.map(refOf));
      return jsons.map((j) => (j === null ? null : (JSON.parse(j) as Record<string, unknown>)));
    },
    async queryEntities(options = {}) {
      mayRead();
      const limit = options.limit ?? DEFAULT_LIMIT;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_LIMIT) throw new ApiError("InputError", `limit must be an integer from 1 to ${MAX_LIMIT}`);
      const fields = fieldsOf(options.fields);
      const cursor = options.cursor ? decodeCursor(options.cursor) : undefined;
      const filterStrings = cursor?.filter ?? (options.filter === undefined ? [] : typeof options.filter === "string" ? [options.filter] : [...options.filter]);
      const filter = parseFilterParams(filterStrings);
      const page = await queryEntityPage(db, { filter, limit, after: cursor?.position, withTotal: !cursor });
      const totalItems = cursor?.totalItems ?? page.totalItems ?? 0;
      const items = page.jsons.map((j) => projectFields(JSON.parse(j) as Record<string, unknown>, fields) as Record<string, unknown>);
      const last = page.positions[page.positions.length - 1];
      return page.hasMore && last
        ? { items, totalItems, nextCursor: encodeCursor({ filter: filterStrings, position: last, totalItems } satisfies Cursor) }
        : { items, totalItems };
    },
  };
}
