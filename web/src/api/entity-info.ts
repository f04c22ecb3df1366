/** Edgestage's per-entity provenance and processing errors: `GET /api/catalog/entity-info/...` (the errors are the same items `/processing-errors?entityRef=` lists). */
import { query } from "@solidjs/router";
import type { EntityInfo } from "../../../contract/catalog-api";
import { takeEarlyResponse } from "./early";
import { entityInfoPath } from "./params";
import { request } from "./request";

/** A deep link's read may already be under way (web/public/boot.js). */
export const getEntityInfo = query((kind: string, namespace: string, name: string) => {
  const path = entityInfoPath(kind, namespace, name);
  return request<EntityInfo>(path, { pending: takeEarlyResponse(path) });
}, "entityInfo");
