/**
 * Default values, as react-jsonschema-form fills them: a property's `default` when it has no value, nested
 * objects filled the same way (created only when something inside has a default), computed on the effective
 * schema so fields that `dependencies` add get their defaults too.
 */
import { resolveSchema, type OptionChoices } from "./effective-schema";
import { cloneJson, isObject, own, setOwn, type JsonObject, type JsonSchema } from "./json";
import { MAX_SCHEMA_DEPTH, type TemplateStep } from "./steps";

function fill(schema: JsonSchema, value: unknown, root: JsonSchema, choices: OptionChoices, pointer: string, depth: number): unknown {
  const s = resolveSchema(schema, value, root, choices, pointer);
  if (value === undefined && Object.hasOwn(s, "default")) return cloneJson(s.default);
  if (depth >= MAX_SCHEMA_DEPTH) return value;
  const properties = own(s, "properties");
  if (!isObject(properties) || (value !== undefined && !isObject(value))) return value;
  const base: JsonObject = isObject(value) ? value : {};
  const out: JsonObject = {};
  for (const k of Object.keys(base)) setOwn(out, k, base[k]);
  let added = false;
  for (const name of Object.keys(properties)) {
    const child = properties[name];
    if (!isObject(child)) continue;
    const current = own(base, name);
    const next = fill(child, current, root, choices, `${pointer}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`, depth + 1);
    if (next !== current && next !== undefined) {
      setOwn(out, name, next);
      added = true;
    }
  }
  return added ? out : value;
}

/**
 * `values` with the defaults of one schema filled in. Runs until stable (at most three rounds): a default can
 * switch on a dependency whose fields have defaults of their own.
 */
export function applyDefaults(schema: JsonSchema, values: JsonObject, choices: OptionChoices = {}): JsonObject {
  let current: JsonObject = values;
  for (let round = 0; round < 3; round++) {
    const next = fill(schema, current, schema, choices, "", 0);
    if (next === current || !isObject(next)) break;
    current = next;
  }
  return current;
}

/** Defaults of every step, in order, over the values the user (or the URL's `formData`) already gave. */
export function initialValues(steps: readonly TemplateStep[], values: JsonObject = {}, choices: OptionChoices = {}): JsonObject {
  return steps.reduce((acc, step) => applyDefaults(step.schema, acc, choices), values);
}

function prune(schema: JsonSchema, value: unknown, root: JsonSchema, choices: OptionChoices, pointer: string, depth: number): unknown {
  const s = resolveSchema(schema, value, root, choices, pointer);
  const properties = own(s, "properties");
  // Only objects that list their properties are pruned; free-form objects and arrays keep what they hold.
  if (!isObject(properties) || !isObject(value) || depth >= MAX_SCHEMA_DEPTH || s.additionalProperties === true || isObject(s.additionalProperties)) return value;
  const out: JsonObject = {};
  for (const k of Object.keys(value)) {
    const child = own(properties, k);
    if (!isObject(child)) continue;
    setOwn(out, k, prune(child, value[k], root, choices, `${pointer}/${k.replace(/~/g, "~0").replace(/\//g, "~1")}`, depth + 1));
  }
  return out;
}

/**
 * rjsf's `omitExtraData`: values of fields no step shows any more (a `dependencies` option the user
 * switched away from) are dropped before the task is created, so the template sees what the review showed.
 */
export function omitExtraData(steps: readonly TemplateStep[], values: JsonObject, choices: OptionChoices = {}): JsonObject {
  const out: JsonObject = {};
  for (const step of steps) {
    const kept = prune(step.schema, values, step.schema, choices, "", 0);
    if (isObject(kept)) for (const k of Object.keys(kept)) if (!Object.hasOwn(out, k)) setOwn(out, k, kept[k]);
  }
  return out;
}
