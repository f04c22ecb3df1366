/**
 * The catalog half of parameter validation: EntityPicker / OwnerPicker fields with `allowArbitraryValues:
 * false` must name an entity the catalog holds and that matches the picker's `catalogFilter`, as the picker
 * would have offered it. The checks and their field errors come from contract/template-params (the form runs
 * the same ones through the catalog API); here the refs are looked up in D1, one query per distinct filter.
 */
import { catalogRefChecks, catalogRefErrorsVia, type FieldError, type TemplateStep } from "../../contract/template-params";
import { parseFilterParams } from "../catalog/query";
import { getEntityRevsByRefs } from "../catalog/store/read";
import { ApiError } from "../errors";

/** At most this many picker fields are looked up per request (a form has a handful). */
const MAX_CHECKS = 50;

export async function catalogRefErrors(db: D1Database, steps: readonly TemplateStep[], values: unknown, secrets: Record<string, string>): Promise<FieldError[]> {
  const checks = catalogRefChecks(steps, values, { secrets }).slice(0, MAX_CHECKS);
  return catalogRefErrorsVia(checks, (refs, params) => getEntityRevsByRefs(db, refs, params.length ? parseFilterParams(params) : undefined));
}

/** 400 with the field errors (the shape checkValues uses) when a picker names an entity the catalog lacks. */
export async function checkCatalogRefs(db: D1Database, steps: readonly TemplateStep[], values: unknown, secrets: Record<string, string>): Promise<void> {
  const errors = await catalogRefErrors(db, steps, values, secrets);
  if (errors.length) {
    throw new ApiError("InputError", `The values do not match the template's parameters: ${errors.map((e) => `${e.field}: ${e.message}`).join("; ")}`, { errors });
  }
}
