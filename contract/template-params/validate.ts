/**
 * Validation of template values, per step and as a whole, the same in the browser (as you type) and in the
 * worker (POST /tasks): JSON Schema with @cfworker/json-schema, then the field extensions' own rules.
 * Errors are keyed by JSON pointer (`/railsArguments/database`) with a readable message.
 *
 * Why two schema passes: the effective schema (dependencies and options resolved for the current values)
 * gives errors at the field that is wrong; when it finds nothing, the original schema is checked too, so a
 * value that satisfies no `oneOf` option of a dependency is still refused (with a less specific message).
 */
import type { OutputUnit } from "@cfworker/json-schema";
import { compiledValidator, ValidatorNotLoaded } from "./compiled";
import { resolveTree, type OptionChoices } from "./effective-schema";
import {
  catalogFilterQuery,
  catalogFilters,
  entityRefDefaults,
  entityRefErrors,
  extensionErrors,
  OWNER_PICKER_KINDS,
  parseEntityRefInput,
  stringifyEntityRefParts,
  userCredentialsKey,
  userCredentialsMessage,
  type CatalogFilter,
} from "./extensions";
import { depthExceeds, getAt, isObject, own, pointerSegments, toPointer, type JsonObject, type JsonSchema } from "./json";
import { messageFor, propertyTitle } from "./messages";
import { mergeSecrets } from "./secrets";
import { uiOptions, type TemplateStep, type UiSchema } from "./steps";

export interface FieldError {
  /** JSON pointer of the field ("" is the whole form). */
  pointer: string;
  /** The same path dotted, for display and for Backstage-style `errors.<field>`: `railsArguments.database`. */
  field: string;
  message: string;
  /** The JSON Schema keyword or the extension (`RepoUrlPicker`) that failed. */
  keyword: string;
}

export interface ValidationOutcome {
  valid: boolean;
  errors: FieldError[];
}

export interface ValidateOptions {
  /** The task's `secrets`: validated in place of the masked values of secret fields. */
  secrets?: unknown;
  /** Option picked per object-level `oneOf`/`anyOf`, keyed by pointer (the form's selector). */
  choices?: OptionChoices;
}

/** Deeper values than this are refused outright (no form produces them; they would only cost stack). */
export const MAX_VALUE_DEPTH = 32;

/** Keywords whose failure is only the sum of their children's; the children carry the useful message. */
const CONTAINERS = new Set([
  "properties", "patternProperties", "additionalItems", "items", "prefixItems", "allOf", "$ref", "$recursiveRef",
  "dependencies", "dependentSchemas", "then", "else", "if", "unevaluatedItems", "unevaluatedProperties",
]);
/** Keywords whose children are attempts at alternatives: only the keyword itself is reported. */
const ALTERNATIVES = new Set(["oneOf", "anyOf", "not", "if", "contains", "propertyNames"]);

function fieldOf(segments: readonly string[]): string {
  return segments.join(".");
}

function toFieldErrors(units: OutputUnit[], schema: JsonSchema): FieldError[] {
  const out: FieldError[] = [];
  for (const u of units) {
    const kwSegs = pointerSegments(u.keywordLocation);
    // Skip errors inside an alternative (an option that did not match is not the user's mistake).
    if (kwSegs.slice(0, -1).some((s, i) => ALTERNATIVES.has(s) && !(i > 0 && kwSegs[i - 1] === "properties"))) continue;
    if (CONTAINERS.has(u.keyword) && !(u.keyword === "items" && getAt(schema, kwSegs) === false)) continue;
    const node = getAt(schema, kwSegs.slice(0, -1));
    const nodeObj = isObject(node) ? node : undefined;
    const inst = pointerSegments(u.instanceLocation);
    if (u.keyword === "required") {
      const m = /required property "(.*)"\.$/s.exec(u.error);
      const name = m?.[1] ?? "";
      const segs = [...inst, name];
      out.push({ pointer: toPointer(segs), field: fieldOf(segs), message: `${propertyTitle(nodeObj, name)} is required`, keyword: "required" });
      continue;
    }
    if (u.keyword === "dependentRequired") {
      out.push({ pointer: toPointer(inst), field: fieldOf(inst), message: u.error.replace(/^Instance /, "Value "), keyword: u.keyword });
      continue;
    }
    if (u.keyword === "additionalProperties") {
      const m = /^Property "(.*)" does not match additional properties schema\.$/s.exec(u.error);
      if (m) {
        const segs = [...inst, m[1]!];
        out.push({ pointer: toPointer(segs), field: fieldOf(segs), message: `${m[1]} is not a field of this form`, keyword: u.keyword });
      }
      continue;
    }
    // A dependency's `oneOf` that no option satisfies is about the field the dependency hangs on.
    const at = (u.keyword === "oneOf" || u.keyword === "anyOf") && kwSegs.length >= 3 && kwSegs[kwSegs.length - 3] === "dependencies" ? [...inst, kwSegs[kwSegs.length - 2]!] : inst;
    out.push({ pointer: toPointer(at), field: fieldOf(at), message: messageFor(u.keyword, nodeObj, u.error), keyword: u.keyword });
  }
  return out;
}

function runSchema(schema: JsonSchema, values: unknown): FieldError[] {
  let units: OutputUnit[];
  try {
    units = compiledValidator(schema, false).validate(values).errors;
  } catch (e) {
    if (e instanceof ValidatorNotLoaded) throw e;
    // A schema the validator cannot compile (a bad `pattern`, an unresolvable `$ref`) is the template's fault.
    return [{ pointer: "", field: "", message: `The template's form is invalid: ${e instanceof Error ? e.message : String(e)}`, keyword: "schema" }];
  }
  return toFieldErrors(units, schema);
}

/** Visits every property of an (effective) object schema with its uiSchema node and current value. */
function walkFields(schema: JsonSchema, ui: UiSchema, value: unknown, path: string[], visit: (path: string[], ui: UiSchema, value: unknown) => void, depth = 0): void {
  if (depth > MAX_VALUE_DEPTH) return;
  const properties = own(schema, "properties");
  if (!isObject(properties)) return;
  for (const name of Object.keys(properties)) {
    const child = properties[name];
    if (!isObject(child)) continue;
    const childUi = own(ui, name);
    const u: UiSchema = isObject(childUi) ? childUi : {};
    const v = own(value, name);
    const p = [...path, name];
    visit(p, u, v);
    if (isObject(v)) walkFields(child, u, v, p, visit, depth + 1);
  }
}

function extensionPass(schema: JsonSchema, ui: UiSchema, values: JsonObject, secrets: unknown): FieldError[] {
  const out: FieldError[] = [];
  walkFields(schema, ui, values, [], (path, u, v) => {
    const field = own(u, "ui:field");
    // Credentials the picker asks for must be in the task's secrets; the portal has none to give (extensions.ts).
    const key = field === "RepoUrlPicker" && v !== undefined && v !== "" ? userCredentialsKey(uiOptions(u)) : undefined;
    if (key && !(isObject(secrets) && typeof own(secrets, key) === "string" && own(secrets, key))) {
      out.push({ pointer: toPointer(path), field: fieldOf(path), message: userCredentialsMessage(key), keyword: "requestUserCredentials" });
    }
    if (typeof field !== "string" || v === undefined || v === null || v === "") return;
    for (const message of extensionErrors(field, v, uiOptions(u))) out.push({ pointer: toPointer(path), field: fieldOf(path), message, keyword: field });
  });
  return out;
}

function dedupe(errors: FieldError[]): FieldError[] {
  const seen = new Set<string>();
  return errors.filter((e) => {
    const k = `${e.pointer}\u0000${e.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

function checkShape(values: unknown): FieldError[] | undefined {
  if (!isObject(values)) return [{ pointer: "", field: "", message: "Values must be an object", keyword: "type" }];
  if (depthExceeds(values, MAX_VALUE_DEPTH)) return [{ pointer: "", field: "", message: `Values nest deeper than ${MAX_VALUE_DEPTH} levels`, keyword: "maxDepth" }];
  return undefined;
}

/** One step's checks against the whole values object (as Backstage validates each step on Next). */
export function validateStep(step: TemplateStep, values: unknown, options: ValidateOptions = {}): ValidationOutcome {
  const bad = checkShape(values);
  if (bad) return { valid: false, errors: bad };
  const merged = mergeSecrets([step], values as JsonObject, options.secrets);
  const effective = resolveTree(step.schema, merged, step.schema, options.choices ?? {});
  let errors = runSchema(effective, merged);
  if (errors.length === 0 && effective !== step.schema) errors = runSchema(step.schema, merged);
  errors = dedupe([...errors, ...extensionPass(effective, step.uiSchema, merged, options.secrets)]);
  return { valid: errors.length === 0, errors };
}

/** Every step's checks: what the worker runs on POST /tasks and the form runs before Create. */
export function validateTemplateValues(steps: readonly TemplateStep[], values: unknown, options: ValidateOptions = {}): ValidationOutcome {
  const bad = checkShape(values);
  if (bad) return { valid: false, errors: bad };
  const merged = mergeSecrets(steps, values as JsonObject, options.secrets);
  const errors = dedupe(steps.flatMap((s) => validateStep(s, merged, { choices: options.choices, secrets: options.secrets }).errors));
  return { valid: errors.length === 0, errors };
}

/** Errors grouped by pointer (null prototype: a field named `__proto__` is just a key). */
export function errorsByPointer(errors: readonly FieldError[]): Record<string, string[]> {
  const out: Record<string, string[]> = Object.create(null);
  for (const e of errors) (out[e.pointer] ??= []).push(e.message);
  return out;
}

// ---------------------------------------------------------------------------------------------- catalog refs

/**
 * A picker value that must name an entity in the catalog: EntityPicker or OwnerPicker with
 * `ui:options.allowArbitraryValues: false` (Backstage then offers only catalog entities matching
 * `catalogFilter`). Checking needs the catalog, so it is a second, asynchronous pass after the pure one: the
 * worker looks the refs up in D1 (POST /tasks, dry-run), the form through the catalog API, and both report
 * `catalogRefError` at the field.
 */
export interface CatalogRefCheck {
  pointer: string;
  field: string;
  /** The value completed to `kind:namespace/name` (defaultKind, defaultNamespace). */
  ref: string;
  /** The picker's catalogFilter (allowedKinds folded in); the entity must match one of them. */
  filters: CatalogFilter[];
  keyword: "EntityPicker" | "OwnerPicker";
}

function pickerKinds(field: string): readonly string[] | undefined {
  return field === "OwnerPicker" ? OWNER_PICKER_KINDS : undefined;
}

/** The catalog lookups the values need (only well-formed refs: a malformed one already has its error). */
export function catalogRefChecks(steps: readonly TemplateStep[], values: unknown, options: ValidateOptions = {}): CatalogRefCheck[] {
  if (checkShape(values)) return [];
  const merged = mergeSecrets(steps, values as JsonObject, options.secrets);
  const out = new Map<string, CatalogRefCheck>();
  for (const step of steps) {
    const effective = resolveTree(step.schema, merged, step.schema, options.choices ?? {});
    walkFields(effective, step.uiSchema, merged, [], (path, u, v) => {
      const field = own(u, "ui:field");
      if ((field !== "EntityPicker" && field !== "OwnerPicker") || typeof v !== "string" || !v) return;
      const opts = uiOptions(u);
      if (opts.allowArbitraryValues !== false) return;
      const fallback = pickerKinds(field);
      if (entityRefErrors(v, opts, fallback).length) return;
      const ref = parseEntityRefInput(v, entityRefDefaults(opts, fallback))!;
      const pointer = toPointer(path);
      out.set(pointer, { pointer, field: fieldOf(path), ref: stringifyEntityRefParts(ref), filters: catalogFilters(opts, fallback), keyword: field });
    });
  }
  return [...out.values()];
}

/** The field error for a check whose entity the catalog does not hold (or that its filter excludes). */
export function catalogRefError(check: CatalogRefCheck): FieldError {
  return { pointer: check.pointer, field: check.field, message: `${check.ref} is not in the catalog; choose one of the suggestions`, keyword: check.keyword };
}

/**
 * The field errors of the checks whose entity the catalog lacks, with one lookup per distinct catalogFilter:
 * `lookup(refs, filter)` answers, in the order of `refs`, the entity matching `filter` (catalogFilterQuery's
 * by-query parameters) or null. The form looks up through the catalog API, the worker in D1.
 */
export async function catalogRefErrorsVia(checks: readonly CatalogRefCheck[], lookup: (refs: string[], filter: string[]) => Promise<readonly unknown[]>): Promise<FieldError[]> {
  const byFilter = new Map<string, CatalogRefCheck[]>();
  for (const c of checks) {
    const key = JSON.stringify(catalogFilterQuery(c.filters));
    byFilter.set(key, [...(byFilter.get(key) ?? []), c]);
  }
  const errors: FieldError[] = [];
  for (const [key, group] of byFilter) {
    const found = await lookup(group.map((c) => c.ref), JSON.parse(key) as string[]);
    group.forEach((c, i) => {
      if (!found[i]) errors.push(catalogRefError(c));
    });
  }
  return errors;
}
