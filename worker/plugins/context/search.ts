/**
 * A plugin's slice of the full-text index: documents it indexes for entities (worker/plugins/search/store.ts
 * has the SQL, scoped to the plugin's id), queried with bm25 ranking and returned with a safe HTML snippet.
 * Documents are checked before D1 sees them (sizes, a lower-cased entity ref, a portal path), the number of
 * documents per plugin is capped, and any query text is safe to run: bad input is a 4xx, never a 500.
 */
import type { PluginSearch, SearchDocument, SearchHit } from "../../../contract/plugin-worker";
import { parseEntityRef, stringifyEntityRef } from "../../catalog/entity-ref";
import { ApiError } from "../../errors";
import { ftsMatchExpression, indexableText, snippetHtml } from "../search/query";
import { countDocs, deleteDocs, deleteEntityDocs, searchPluginDocs, upsertDocs, type SearchDocRow, type SearchHitRow } from "../search/store";

export interface SearchLimits {
  /** Documents one plugin may have indexed. */
  maxDocs: number;
  /** Characters of a document's text. */
  maxTextChars: number;
  /** Documents (or ids) one call may pass. */
  maxBatch: number;
}

export const DEFAULT_SEARCH_LIMITS: SearchLimits = { maxDocs: 50_000, maxTextChars: 100_000, maxBatch: 500 };

const MAX_ID_CHARS = 512;
const MAX_TITLE_CHARS = 500;
const MAX_PATH_CHARS = 2048;
const MAX_QUERY_LIMIT = 100;
const DEFAULT_QUERY_LIMIT = 20;
const UNPAIRED = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/u;

function text(value: unknown, what: string, max: number, optional = false): string | null {
  if (value === undefined || value === null) {
    if (optional) return null;
    throw new ApiError("InputError", `Search document ${what} is required`);
  }
  if (typeof value !== "string") throw new ApiError("InputError", `Search document ${what} must be a string`);
  if (!optional && !value.trim()) throw new ApiError("InputError", `Search document ${what} must not be empty`);
  if (value.length > max) throw new ApiError("PayloadTooLargeError", `Search document ${what} is longer than ${max} characters`);
  if (UNPAIRED.test(value)) throw new ApiError("InputError", `Search document ${what} contains an unpaired surrogate`);
  return indexableText(value);
}

export function normalizeEntityRef(ref: unknown): string {
  if (typeof ref !== "string" || ref.length > 1024) throw new ApiError("InputError", "Entity refs are strings of at most 1024 characters");
  try {
    return stringifyEntityRef(parseEntityRef(ref)).toLowerCase();
  } catch (err) {
    throw new ApiError("InputError", `Bad entity ref: ${(err as Error).message}`);
  }
}

function docId(id: unknown): string {
  if (typeof id !== "string" || !id || id.length > MAX_ID_CHARS || UNPAIRED.test(id) || id.includes("\u0000")) {
    throw new ApiError("InputError", `Search document ids are non-empty strings of at most ${MAX_ID_CHARS} characters`);
  }
  return id;
}

function checkDoc(doc: SearchDocument, limits: SearchLimits): SearchDocRow {
  if (!doc || typeof doc !== "object") throw new ApiError("InputError", "Search documents are objects");
  const path = text(doc.path, "path", MAX_PATH_CHARS)!;
  // A portal path: the hit links to it from the portal's own pages, so no scheme or other origin.
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\")) throw new ApiError("InputError", `Search document path '${path.slice(0, 100)}' must be a portal path starting with '/'`);
  return {
    docId: docId(doc.id),
    entityRef: normalizeEntityRef(doc.entityRef),
    title: text(doc.title, "title", MAX_TITLE_CHARS)!,
    section: text(doc.section, "section", MAX_TITLE_CHARS, true),
    text: text(doc.text ?? "", "text", limits.maxTextChars, true) ?? "",
    path,
  };
}

function batch<T>(items: unknown, what: string, limits: SearchLimits): readonly T[] {
  if (!Array.isArray(items)) throw new ApiError("InputError", `Search ${what} takes an array`);
  if (items.length > limits.maxBatch) throw new ApiError("PayloadTooLargeError", `Search ${what} takes at most ${limits.maxBatch} items per call`);
  return items as readonly T[];
}

export function toSearchHit(r: SearchHitRow): SearchHit {
  return { id: r.docId, entityRef: r.entityRef, title: r.title, section: r.section, path: r.path, snippet: snippetHtml(r.snippet) };
}

export function createPluginSearch(db: D1Database, pluginId: string, limits: SearchLimits = DEFAULT_SEARCH_LIMITS): PluginSearch {
  return {
    async index(docs) {
      const rows = batch<SearchDocument>(docs, "index", limits).map((d) => checkDoc(d, limits));
      // The last of two documents with one id wins, as two calls would.
      const byId = new Map(rows.map((r) => [r.docId, r]));
      const unique = [...byId.values()];
      const { total, fresh } = await countDocs(db, pluginId, [...byId.keys()]);
      if (total + fresh > limits.maxDocs) {
        throw new ApiError("QuotaExceededError", `Plugin ${pluginId}'s search index is full: ${total} of ${limits.maxDocs} documents; this call adds ${fresh}`);
      }
      await upsertDocs(db, pluginId, unique, Date.now());
    },
    async remove(ids) {
      await deleteDocs(db, pluginId, batch<unknown>(ids, "remove", limits).map(docId));
    },
    async removeEntity(entityRef) {
      await deleteEntityDocs(db, pluginId, normalizeEntityRef(entityRef));
    },
    async query(q, options = {}) {
      if (typeof q !== "string") throw new ApiError("InputError", "Search text must be a string");
      const limit = options.limit ?? DEFAULT_QUERY_LIMIT;
      if (!Number.isInteger(limit) || limit < 1 || limit > MAX_QUERY_LIMIT) throw new ApiError("InputError", `Search limit must be an integer from 1 to ${MAX_QUERY_LIMIT}`);
      const entityRef = options.entityRef === undefined ? undefined : normalizeEntityRef(options.entityRef);
      const match = ftsMatchExpression(q);
      if (!match) return [];
      return (await searchPluginDocs(db, pluginId, match, { entityRef, limit })).map(toSearchHit);
    },
  };
}
