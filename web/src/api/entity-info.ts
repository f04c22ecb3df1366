/** Edgestage's per-entity provenance and processing errors: `GET /api/catalog/entity-info/...` (the errors are the same items `/processing-errors?entityRef=` lists). */
import { query } from "@solidjs/router";
import type { EntityInfo } from "../../../contract/catalog-api";
import { request } from "./request";

export const getEntityInfo = query(
  (kind: string, namespace: string, name: string) =>
    request<EntityInfo>(
      `/api/catalog/entity-info/${encodeURIComponent(kind)}/${encodeURIComponent(namespace)}/${encodeURIComponent(name)}`,
    ),
  "entityInfo",
);
