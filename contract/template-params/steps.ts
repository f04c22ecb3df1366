/**
 * A v1beta3 template's `parameters` as form steps, the way Backstage's scaffolder does it: `parameters` is an
 * array of steps or one object (one step); each step's `ui:*` keys move out of the JSON Schema into a uiSchema
 * tree keyed by property name (react-jsonschema-form's layout), including those inside `items`, `oneOf`,
 * `anyOf`, `allOf` and `dependencies`, so the schema left behind is plain JSON Schema.
 */
import { cloneJson, isObject, own, setOwn, type JsonObject, type JsonSchema } from "./json";

/** react-jsonschema-form's uiSchema: `ui:*` keys for this node, property names (or `items`) for children. */
export type UiSchema = { [key: string]: unknown };

export interface TemplateStep {
  title: string;
  description?: string;
  /** The step's JSON Schema without any `ui:*` key (title and description stay: they label the form). */
  schema: JsonSchema;
  uiSchema: UiSchema;
}

/** Backstage's default step title (scaffolder-backend `parameter-schema`). */
export const DEFAULT_STEP_TITLE = "Please enter the following information";

export class InvalidTemplateParametersError extends Error {
  override name = "InvalidTemplateParametersError";
}

/** How deep a parameters schema may nest: real templates use 3–4 levels; this bounds every recursive walk. */
export const MAX_SCHEMA_DEPTH = 32;

/**
 * Turns `spec.parameters` into steps. Missing parameters are zero steps (a template that asks nothing);
 * anything but an object or an array of objects is an error naming the offending entry.
 */
export function parseTemplateParameters(parameters: unknown): TemplateStep[] {
  if (parameters === undefined || parameters === null) return [];
  const list = Array.isArray(parameters) ? parameters : [parameters];
  return list.map((entry, i) => {
    if (!isObject(entry)) {
      throw new InvalidTemplateParametersError(`spec.parameters[${i}] must be an object (a JSON Schema), not ${describe(entry)}`);
    }
    return stepFromSchema(entry, i);
  });
}

function describe(v: unknown): string {
  return v === null ? "null" : Array.isArray(v) ? "an array" : typeof v;
}

function stepFromSchema(input: JsonObject, index: number): TemplateStep {
  const schema = cloneJson(input);
  const uiSchema: UiSchema = {};
  extractUiSchema(schema, uiSchema, 0, index);
  const title = typeof schema.title === "string" && schema.title.trim() ? schema.title : DEFAULT_STEP_TITLE;
  const description = typeof schema.description === "string" ? schema.description : undefined;
  return { title, ...(description !== undefined ? { description } : {}), schema, uiSchema };
}

/** Backstage's extractUiSchema (scaffolder-react `lib/schema.ts`), with a depth bound. Mutates `schema`. */
function extractUiSchema(schema: JsonObject, uiSchema: UiSchema, depth: number, step: number): void {
  if (depth > MAX_SCHEMA_DEPTH) {
    throw new InvalidTemplateParametersError(`spec.parameters[${step}] nests deeper than ${MAX_SCHEMA_DEPTH} levels`);
  }
  for (const key of Object.keys(schema)) {
    if (key.startsWith("ui:")) {
      setOwn(uiSchema, key, schema[key]);
      delete schema[key];
    }
  }
  const properties = own(schema, "properties");
  if (isObject(properties)) {
    for (const name of Object.keys(properties)) {
      const node = properties[name];
      if (!isObject(node)) continue;
      const existing = own(uiSchema, name);
      const inner: UiSchema = isObject(existing) ? existing : {};
      setOwn(uiSchema, name, inner);
      extractUiSchema(node, inner, depth + 1, step);
    }
  }
  const items = own(schema, "items");
  if (isObject(items)) {
    const existing = own(uiSchema, "items");
    const inner: UiSchema = isObject(existing) ? existing : {};
    setOwn(uiSchema, "items", inner);
    extractUiSchema(items, inner, depth + 1, step);
  }
  for (const keyword of ["anyOf", "oneOf", "allOf"]) {
    const list = own(schema, keyword);
    if (Array.isArray(list)) for (const node of list) if (isObject(node)) extractUiSchema(node, uiSchema, depth + 1, step);
  }
  for (const keyword of ["dependencies", "dependentSchemas"]) {
    const deps = own(schema, keyword);
    if (isObject(deps)) for (const k of Object.keys(deps)) if (isObject(deps[k])) extractUiSchema(deps[k] as JsonObject, uiSchema, depth + 1, step);
  }
  for (const keyword of ["if", "then", "else"]) {
    const node = own(schema, keyword);
    if (isObject(node)) extractUiSchema(node, uiSchema, depth + 1, step);
  }
}

/** The uiSchema node for a property path (`["railsArguments", "database"]`); array indexes use `items`. */
export function uiSchemaAt(uiSchema: UiSchema, segments: readonly string[]): UiSchema {
  let cur: unknown = uiSchema;
  for (const s of segments) {
    const key = /^(0|[1-9]\d*)$/.test(s) && isObject(own(cur, "items")) && !isObject(own(cur, s)) ? "items" : s;
    cur = own(cur, key);
    if (!isObject(cur)) return {};
  }
  return cur as UiSchema;
}

/** `ui:options` of a uiSchema node, always an object. */
export function uiOptions(ui: UiSchema): JsonObject {
  const o = own(ui, "ui:options");
  return isObject(o) ? o : {};
}

/** A `ui:*` key that rjsf also accepts inside `ui:options` (`ui:options: { widget: textarea }` ≡ `ui:widget`). */
export function uiValue(ui: UiSchema, name: string): unknown {
  const direct = own(ui, `ui:${name}`);
  return direct !== undefined ? direct : own(uiOptions(ui), name);
}
