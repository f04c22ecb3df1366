/**
 * The catalog half of template validation (contract/template-params catalogRefChecks): the pickers' refs looked
 * up through by-refs with each picker's catalogFilter, as POST /tasks does in the worker; an error per miss.
 */
import { catalogRefErrorsVia, type CatalogRefCheck, type FieldError } from "../../../contract/template-params/api";
import type { ByRefsResponse } from "../../../contract/catalog-api";
import { withQuery } from "./params";
import { request } from "./request";

export function catalogRefErrors(checks: readonly CatalogRefCheck[], signal?: AbortSignal): Promise<FieldError[]> {
  return catalogRefErrorsVia(checks, async (refs, filter) => {
    const res = await request<ByRefsResponse<{ kind: string }>>(withQuery("/api/catalog/entities/by-refs", { filter }), { body: { entityRefs: refs, fields: ["kind"] }, signal });
    return res.items;
  });
}
