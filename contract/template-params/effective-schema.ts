/**
 * The schema a form actually shows for the current values, as react-jsonschema-form's `retrieveSchema` computes
 * it (Backstage's forms are rjsf forms): local `$ref`s resolved, `allOf` merged, `if`/`then`/`else` applied,
 * `dependencies` (property lists, schemas, and the `oneOf` form that adds fields per chosen value) merged for
 * keys that have a value, and an object-level `oneOf`/`anyOf` resolved to the option in use.
 *
 * Why two paths: most steps are plain `properties` + `required` and come back unchanged (cheap path, no
 * validator call); only composition keywords cost a validation of the current values against a sub-schema,
 * and the usual ones (a `const` per option) are answered without a validator (compiled.ts).
 */
import { compiledValidator, simpleMatch, ValidatorNotLoaded } from "./compiled";
import { getAt, isObject, own, pointerSegments, setOwn, type JsonObject, type JsonSchema } from "./json";
import { MAX_SCHEMA_DEPTH } from "./steps";

/** Which option of an object-level `oneOf`/`anyOf` the user picked, keyed by the JSON pointer of the object. */
export type OptionChoices = Readonly<Record<string, number>>;

const COMPOSITION = ["$ref", "allOf", "if", "dependencies", "dependentSchemas", "dependentRequired", "oneOf", "anyOf"];

/**
 * True when `value` satisfies `schema` (a schema the validator cannot compile counts as not matching).
 * Throws ValidatorNotLoaded when the answer needs the validator and the portal has not loaded it yet.
 */
export function matches(schema: unknown, value: unknown): boolean {
  if (schema === true || schema === undefined) return true;
  if (schema === false || !isObject(schema)) return false;
  const quick = simpleMatch(schema, value);
  if (quick !== undefined) return quick;
  try {
    return compiledValidator(schema, true).validate(value).valid;
  } catch (e) {
    if (e instanceof ValidatorNotLoaded) throw e;
    return false;
  }
}

/**
 * rjsf's mergeSchemas: objects merge recursively, `required` lists are united, anything else from `b` wins.
 */
export function mergeSchemas(a: JsonObject, b: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const k of Object.keys(a)) setOwn(out, k, a[k]);
  for (const k of Object.keys(b)) {
    const left = own(out, k);
    const right = b[k];
    if (k === "required" && Array.isArray(left) && Array.isArray(right)) setOwn(out, k, [...new Set([...left, ...right])]);
    else if (isObject(left) && isObject(right)) setOwn(out, k, mergeSchemas(left, right));
    else setOwn(out, k, right);
  }
  return out;
}

/** A `oneOf`/`anyOf` whose options are constants is an enum with labels, not a choice of sub-forms. */
export function isConstOptions(options: unknown): options is JsonObject[] {
  return Array.isArray(options) && options.length > 0 && options.every((o) => isObject(o) && (Object.hasOwn(o, "const") || (Array.isArray(o.enum) && o.enum.length === 1)));
}

/** Options of an object-level `oneOf`/`anyOf` that the form offers as a choice (each adds fields). */
export function objectOptions(schema: JsonSchema): { keyword: "oneOf" | "anyOf"; options: JsonObject[] } | undefined {
  for (const keyword of ["oneOf", "anyOf"] as const) {
    const list = own(schema, keyword);
    if (Array.isArray(list) && list.length && !isConstOptions(list) && list.every(isObject) && list.some((o) => isObject(o.properties) || Array.isArray(o.required))) {
      return { keyword, options: list as JsonObject[] };
    }
  }
  return undefined;
}

/** rjsf's getMatchingOption: the first option the value satisfies, else the one sharing most property names, else 0. */
export function matchingOption(options: readonly JsonObject[], value: unknown): number {
  for (let i = 0; i < options.length; i++) if (matches(options[i], value)) return i;
  if (isObject(value)) {
    let best = 0;
    let bestScore = -1;
    options.forEach((o, i) => {
      const props = isObject(o.properties) ? Object.keys(o.properties) : [];
      const score = props.filter((p) => Object.hasOwn(value, p)).length;
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    });
    return best;
  }
  return 0;
}

function resolveRef(ref: string, root: JsonSchema): JsonObject | undefined {
  if (!ref.startsWith("#")) return undefined; // remote refs are not fetched: the form has no network of its own
  const target = getAt(root, pointerSegments(ref));
  return isObject(target) ? target : undefined;
}

/**
 * The effective schema of one object level for `value`, composition keywords consumed. Children are not
 * resolved here (see resolveTree); `pointer` keys the user's option choices.
 */
export function resolveSchema(schema: JsonSchema, value: unknown, root: JsonSchema = schema, choices: OptionChoices = {}, pointer = ""): JsonSchema {
  if (!COMPOSITION.some((k) => Object.hasOwn(schema, k))) return schema; // the cheap path
  let s: JsonObject = schema;
  // Each round consumes at least one keyword; merged sub-schemas may bring new ones (nested dependencies).
  for (let round = 0; round < MAX_SCHEMA_DEPTH; round++) {
    const ref = own(s, "$ref");
    if (typeof ref === "string") {
      const { $ref: _r, ...rest } = s;
      const target = resolveRef(ref, root);
      s = target ? mergeSchemas(target, rest) : rest;
      continue;
    }
    const allOf = own(s, "allOf");
    if (Array.isArray(allOf)) {
      const { allOf: _a, ...rest } = s;
      s = allOf.filter(isObject).reduce<JsonObject>((acc, sub) => mergeSchemas(acc, resolveSchema(sub, value, root, choices, pointer)), rest);
      continue;
    }
    if (Object.hasOwn(s, "if")) {
      const { if: cond, then: yes, else: no, ...rest } = s;
      const branch = matches(cond, value) ? yes : no;
      s = isObject(branch) ? mergeSchemas(rest, branch) : rest;
      continue;
    }
    if (Object.hasOwn(s, "dependencies") || Object.hasOwn(s, "dependentSchemas") || Object.hasOwn(s, "dependentRequired")) {
      s = applyDependencies(s, value, root, choices, pointer);
      continue;
    }
    const opts = objectOptions(s);
    if (opts) {
      const chosen = choices[pointer];
      const index = chosen !== undefined && chosen >= 0 && chosen < opts.options.length ? chosen : matchingOption(opts.options, value);
      const { [opts.keyword]: _o, ...rest } = s;
      s = mergeSchemas(rest, resolveSchema(opts.options[index]!, value, root, choices, pointer));
      continue;
    }
    break;
  }
  return s;
}

function applyDependencies(s: JsonObject, value: unknown, root: JsonSchema, choices: OptionChoices, pointer: string): JsonObject {
  const { dependencies, dependentSchemas, dependentRequired, ...rest } = s;
  let out: JsonObject = rest;
  const has = (key: string) => isObject(value) && Object.hasOwn(value, key) && value[key] !== undefined;
  const lists: unknown[] = [dependencies, dependentSchemas, dependentRequired];
  for (const deps of lists) {
    if (!isObject(deps)) continue;
    for (const key of Object.keys(deps)) {
      if (!has(key)) continue;
      const dep = deps[key];
      if (Array.isArray(dep)) {
        out = mergeSchemas(out, { required: dep.filter((d) => typeof d === "string") });
        continue;
      }
      if (!isObject(dep)) continue;
      const depSchema = typeof dep.$ref === "string" ? resolveSchema(dep, value, root, choices, pointer) : dep;
      const oneOf = own(depSchema, "oneOf");
      if (Array.isArray(oneOf)) {
        const { oneOf: _o, ...depRest } = depSchema;
        out = mergeSchemas(out, depRest);
        // rjsf's withExactlyOneSubschema: the option whose `properties[key]` accepts the current value.
        const current = (value as JsonObject)[key];
        const fits = oneOf.filter(isObject).filter((o) => {
          const cond = own(own(o, "properties"), key);
          return cond !== undefined && matches(cond, current);
        });
        if (fits.length === 1) {
          const chosen = fits[0]!;
          const props = own(chosen, "properties");
          const withoutKey: JsonObject = {};
          if (isObject(props)) for (const p of Object.keys(props)) if (p !== key) setOwn(withoutKey, p, props[p]);
          const { properties: _p, ...chosenRest } = chosen;
          out = mergeSchemas(out, { ...chosenRest, properties: withoutKey });
        }
        continue;
      }
      out = mergeSchemas(out, depSchema);
    }
  }
  return out;
}

/**
 * The effective schema of a whole value: every object level (properties, nested objects) resolved for the
 * value at that level. Array items keep their schema (one schema for all items). Bounded by MAX_SCHEMA_DEPTH.
 */
export function resolveTree(schema: JsonSchema, value: unknown, root: JsonSchema = schema, choices: OptionChoices = {}, pointer = "", depth = 0): JsonSchema {
  const s = resolveSchema(schema, value, root, choices, pointer);
  if (depth >= MAX_SCHEMA_DEPTH) return s;
  const properties = own(s, "properties");
  if (!isObject(properties)) return s;
  let changed = false;
  const resolved: JsonObject = {};
  for (const name of Object.keys(properties)) {
    const child = properties[name];
    if (!isObject(child)) {
      setOwn(resolved, name, child);
      continue;
    }
    const next = resolveTree(child, own(value, name), root, choices, `${pointer}/${name.replace(/~/g, "~0").replace(/\//g, "~1")}`, depth + 1);
    if (next !== child) changed = true;
    setOwn(resolved, name, next);
  }
  return changed ? { ...s, properties: resolved } : s;
}
