/** Edgestage's per-entity provenance and processing errors: `GET /api/catalog/entity-info/...`. */
import { query } from "@solidjs/router";
import type { EntityInfo, ProcessingErrorsResponse } from "../types";
import { withQuery } from "./params";
import { request } from "./request";

export const getEntityInfo = query(
  (kind: string, namespace: string, name: string) =>
    request<EntityInfo>(
      `/api/catalog/entity-info/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
    ),
  "entityInfo",
);

export const getProcessingErrors = query(
  (q: { entityRef?: string; location?: string }) => request<ProcessingErrorsResponse>(withQuery("/api/catalog/processing-errors", q)),
  "processingErrors",
);
