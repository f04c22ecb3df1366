/** Portal search: `GET /api/search` (ranked, highlighted) and the plugins' documents, `GET /api/search/documents`. */
import type { SearchResponse } from "../../../contract/catalog-api";
import type { SearchHit } from "../../../contract/plugin-worker";
import { withQuery } from "./params";
import { request } from "./request";

export function searchPath(q: string, opts: { limit?: number; kind?: string } = {}): string {
  return withQuery("/api/search", { q: q.trim(), limit: opts.limit ?? 20, kind: opts.kind });
}

export function fetchSearch(q: string, opts: { limit?: number; kind?: string; signal?: AbortSignal } = {}): Promise<SearchResponse> {
  if (!q.trim()) return Promise.resolve({ items: [], total: 0 });
  return request<SearchResponse>(searchPath(q, opts), { signal: opts.signal });
}

/** One plugin's documents for the text (TechDocs pages, ...): heading, snippet with <mark>, a portal path. */
export interface DocumentGroup {
  plugin: { id: string; title: string };
  items: SearchHit[];
}

/** Plugin documents for the same text; an older worker without the route, or any failure, is just no documents. */
export function fetchDocuments(q: string, opts: { limit?: number; signal?: AbortSignal } = {}): Promise<DocumentGroup[]> {
  if (!q.trim()) return Promise.resolve([]);
  return request<{ groups: DocumentGroup[] }>(withQuery("/api/search/documents", { q: q.trim(), limit: opts.limit ?? 5 }), { signal: opts.signal }).then(
    (r) => r.groups ?? [],
    (err: unknown) => {
      if (opts.signal?.aborted) throw err;
      return [];
    },
  );
}
