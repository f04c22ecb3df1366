/**
 * The catalog half of template validation (contract/template-params catalogRefChecks): the pickers' refs looked
 * up through by-refs with each picker's catalogFilter, as POST /tasks does in the worker; an error per miss.
 */
import { catalogFilterQuery, catalogRefError, type CatalogRefCheck, type FieldError } from "../../../contract/template-params";
import type { ByRefsResponse } from "../../../contract/catalog-api";
import { withQuery } from "./params";
import { request } from "./request";

export async function catalogRefErrors(checks: readonly CatalogRefCheck[], signal?: AbortSignal): Promise<FieldError[]> {
  const groups = new Map<string, CatalogRefCheck[]>();
  for (const c of checks) {
    const key = JSON.stringify(catalogFilterQuery(c.filters));
    groups.set(key, [...(groups.get(key) ?? []), c]);
  }
  const errors: FieldError[] = [];
  for (const [key, group] of groups) {
    const res = await request<ByRefsResponse<{ kind: string }>>(withQuery("/api/catalog/entities/by-refs", { filter: JSON.parse(key) as string[] }), {
      body: { entityRefs: group.map((c) => c.ref), fields: ["kind"] },
      signal,
    });
    group.forEach((c, i) => {
      if (!res.items[i]) errors.push(catalogRefError(c));
    });
  }
  return errors;
}
