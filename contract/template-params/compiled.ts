/**
 * The JSON Schema checks behind `matches()` and validation, with two shortcuts that give the same answers as a
 * fresh @cfworker/json-schema Validator:
 *
 * - a schema made only of `const`, `enum`, `type` and annotations (what `dependencies`/`oneOf` conditions in real
 *   templates are: `lang: { const: ts }`) is checked directly, with the validator's own comparisons, so a
 *   form's first render needs no validator at all;
 * - one compiled validator per schema object and mode, so typing in a form does not re-compile the same
 *   condition or step schema for every keystroke.
 *
 * Why a cache keyed by object identity is safe: every schema this module sees comes from
 * parseTemplateParameters (a private deep copy) or from effective-schema.ts, which builds new objects and never
 * changes one it was given; nothing mutates a schema after it has been parsed. A different object, even an equal
 * one, gets its own validator.
 *
 * Why the Validator class is handed in (provideValidator) rather than imported: the validator is about a third
 * of the form's code and its first render does not run it, so the portal loads it after that render
 * (lazy-validator.ts, a dynamic import), while the worker and the tests get it synchronously from the barrel
 * (contract/template-params.ts imports sync-validator.ts). Either way it is the same class with the same rules.
 * Until it is there, a check that needs it throws ValidatorNotLoaded (never a wrong answer); the callers that
 * catch schema errors let that one through.
 */
import type { deepCompareStrict, Validator } from "@cfworker/json-schema";
import { isObject, type JsonObject } from "./json";

/** What this module takes from @cfworker/json-schema (its module namespace fits). */
export interface ValidatorModule {
  Validator: typeof Validator;
  deepCompareStrict: typeof deepCompareStrict;
}
let validator: ValidatorModule | undefined;

/** Thrown by a check that needs the validator before it has loaded (the portal's form waits and retries). */
export class ValidatorNotLoaded extends Error {
  override name = "ValidatorNotLoaded";
  constructor() {
    super("The JSON Schema validator has not loaded yet");
  }
}

/** Installs @cfworker/json-schema (the only validator: sync-validator.ts and lazy-validator.ts pass it). */
export function provideValidator(module: ValidatorModule): void {
  validator = { Validator: module.Validator, deepCompareStrict: module.deepCompareStrict };
}

/** True once provideValidator has run. */
export function validatorLoaded(): boolean {
  return validator !== undefined;
}

/** The validator's own deep comparison (ValidatorNotLoaded before provideValidator). */
function deepEqual(a: unknown, b: unknown): boolean {
  if (!validator) throw new ValidatorNotLoaded();
  return validator.deepCompareStrict(a, b);
}

const shortCircuit = new WeakMap<object, Validator>();
const allErrors = new WeakMap<object, Validator>();

/**
 * The draft-7 validator for `schema`, compiled once per object and mode; throws what the constructor throws,
 * or ValidatorNotLoaded before provideValidator.
 */
export function compiledValidator(schema: JsonObject, stopAtFirstError: boolean): Validator {
  const cache = stopAtFirstError ? shortCircuit : allErrors;
  let v = cache.get(schema);
  if (!v) {
    if (!validator) throw new ValidatorNotLoaded();
    v = new validator.Validator(schema as never, "7", stopAtFirstError);
    cache.set(schema, v);
  }
  return v;
}

/** Keys the validator reads nothing from but these (`const`/`enum`/`type`) or never looks inside (annotations). */
const SIMPLE_KEYS = new Set(["const", "enum", "type", "title", "description", "default", "examples", "enumNames", "$comment", "readOnly", "writeOnly", "deprecated"]);
/** Of those, the ones the validator's dereference walks into when they hold an object (it treats them as schemas). */
const WALKED_KEYS = ["title", "description", "examples", "enumNames", "$comment", "readOnly", "writeOnly", "deprecated"];

function instanceType(value: unknown): string | undefined {
  switch (typeof value) {
    case "boolean":
    case "number":
    case "string":
      return typeof value;
    case "object":
      return value === null ? "null" : Array.isArray(value) ? "array" : "object";
    default:
      return undefined; // the validator throws on these (undefined, functions, bigints): not a match
  }
}

/**
 * `schema` checked against `value` the way @cfworker/json-schema 4.1 (validate.js) does for `type`, `const` and
 * `enum`, or undefined when the schema uses anything else (the caller then asks the validator).
 */
export function simpleMatch(schema: JsonObject, value: unknown): boolean | undefined {
  for (const k of Object.keys(schema)) if (!SIMPLE_KEYS.has(k)) return undefined;
  if (!Object.isExtensible(schema)) return undefined; // the validator's dereference would fail to tag it
  for (const k of WALKED_KEYS) if (isObject(schema[k])) return undefined;
  const t = instanceType(value);
  if (t === undefined) return false;
  const n = value as number;
  const { type, const: constant, enum: list } = schema;
  if (Array.isArray(type)) {
    if (!type.some((x) => t === x || (x === "integer" && t === "number" && n % 1 === 0 && n === n))) return false;
  } else if (type === "integer") {
    if (t !== "number" || n % 1 || n !== n) return false;
  } else if (type !== undefined && t !== type) return false;
  const deep = t === "object" || t === "array";
  // Objects and arrays are compared with the validator's deepCompareStrict, so they wait for it to load.
  if (constant !== undefined && !(deep ? deepEqual(value, constant) : value === constant)) return false;
  if (list !== undefined) {
    if (!Array.isArray(list)) return false; // the validator calls list.some and throws
    if (!list.some((e) => (deep ? deepEqual(value, e) : value === e))) return false;
  }
  return true;
}
