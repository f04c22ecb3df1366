/** Portal search: `GET /api/search` (ranked, highlighted). */
import type { SearchResponse } from "../../../contract/catalog-api";
import { withQuery } from "./params";
import { request } from "./request";

export function searchPath(q: string, opts: { limit?: number; kind?: string } = {}): string {
  return withQuery("/api/search", { q: q.trim(), limit: opts.limit ?? 20, kind: opts.kind });
}

export function fetchSearch(q: string, opts: { limit?: number; kind?: string; signal?: AbortSignal } = {}): Promise<SearchResponse> {
  if (!q.trim()) return Promise.resolve({ items: [], total: 0 });
  return request<SearchResponse>(searchPath(q, opts), { signal: opts.signal });
}
