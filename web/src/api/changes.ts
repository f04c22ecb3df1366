/** Edgestage's change feed: `GET /api/catalog/changes`. */
import { query } from "@solidjs/router";
import type { ChangesResponse } from "../../../contract/catalog-api";
import { withQuery } from "./params";
import { request } from "./request";

export interface ChangesQuery {
  entityRef?: string;
  owner?: string;
  since?: string;
  cursor?: string;
  limit?: number;
}

export function fetchChanges(q: ChangesQuery, signal?: AbortSignal): Promise<ChangesResponse> {
  return request<ChangesResponse>(withQuery("/api/catalog/changes", { ...q }), { signal });
}

export const getChanges = query((q: ChangesQuery) => fetchChanges(q), "changes");
