/**
 * The flattened search index Backstage filters, orders and facets on (buildEntitySearch): dotted, lower-cased
 * keys; arrays repeat their path; string items also add `<path>.<item>` = true. Relations are not included:
 * the store adds `relations.<type>` rows from its relations table.
 */
import type { Entity, SearchRow } from "./types";
import { DEFAULT_NAMESPACE, lower } from "./entity-ref";
import { ModelError } from "./model-error";

// Skipped by the generic walk: not worth indexing, or always added explicitly below.
const SPECIAL_KEYS = new Set([
  "attachments",
  "relations",
  "status",
  "metadata.name",
  "metadata.namespace",
  "metadata.uid",
  "metadata.etag",
]);

/** Indexed columns: Backstage caps both at 200 characters (longer values keep the key with a null value). */
export const MAX_SEARCH_KEY_LENGTH = 200;
export const MAX_SEARCH_VALUE_LENGTH = 200;

type Kv = { key: string; value: unknown };

function traverse(root: unknown): Kv[] {
  const output: Kv[] = [];
  const seenItemKeys = new Set<string>();
  const visit = (path: string, current: unknown): void => {
    if (SPECIAL_KEYS.has(path)) return;
    if (current === undefined || current === null || ["string", "number", "boolean"].includes(typeof current)) {
      output.push({ key: path, value: current });
      return;
    }
    if (typeof current !== "object") return;
    if (Array.isArray(current)) {
      for (const item of current) {
        visit(path, item);
        if (typeof item === "string") {
          const itemKey = `${path}.${item}`;
          const lowered = lower(itemKey);
          if (!seenItemKeys.has(lowered)) {
            seenItemKeys.add(lowered);
            output.push({ key: itemKey, value: true });
          }
        }
      }
      return;
    }
    for (const [key, value] of Object.entries(current)) visit(path ? `${path}.${key}` : key, value);
  };
  visit("", root);
  return output;
}

/**
 * Search rows for one entity. Throws ModelError (InputError) when two keys differ only in case (`spec.foo`
 * and `spec.Foo`), as Backstage's stitcher does: they would collide in the lower-cased index.
 */
export function buildSearchRows(entity: Entity): SearchRow[] {
  const raw = traverse(entity);
  raw.push({ key: "metadata.name", value: entity.metadata.name });
  raw.push({ key: "metadata.namespace", value: entity.metadata.namespace });
  raw.push({ key: "metadata.uid", value: entity.metadata.uid });
  if (!entity.metadata.namespace) raw.push({ key: "metadata.namespace", value: DEFAULT_NAMESPACE });

  const byLower = new Map<string, string>();
  const clashes = new Set<string>();
  for (const { key } of raw) {
    const lowered = lower(key);
    const first = byLower.get(lowered);
    if (first === undefined) byLower.set(lowered, key);
    else if (first !== key) clashes.add(lowered);
  }
  if (clashes.size > 0) {
    const [firstClash] = clashes;
    throw new ModelError(
      "InputError",
      `Entity has duplicate keys that vary only in casing, '${[...clashes].join("', '")}'`,
      byLower.get(firstClash),
    );
  }

  const rows: SearchRow[] = [];
  const seen = new Set<string>();
  for (const { key: rawKey, value: rawValue } of raw) {
    const key = lower(rawKey);
    if (key.length > MAX_SEARCH_KEY_LENGTH) continue;
    let row: SearchRow;
    if (rawValue === undefined || rawValue === null) {
      row = { key, value: null, originalValue: null };
    } else {
      const original = String(rawValue);
      const value = lower(original);
      row = value.length <= MAX_SEARCH_VALUE_LENGTH ? { key, value, originalValue: original } : { key, value: null, originalValue: null };
    }
    // Duplicate array items (tags: [java, java]) would produce identical rows.
    const dedupe = `${row.key}\0${row.value === null ? "\u0000null" : row.value}`;
    if (seen.has(dedupe)) continue;
    seen.add(dedupe);
    rows.push(row);
  }
  return rows;
}
