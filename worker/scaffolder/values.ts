/**
 * The values a task runs with: checked against every step of the template's `parameters` with the same
 * JSON Schema validator the portal's form uses (@cfworker/json-schema runs in workerd and the browser), and
 * the fields that hold secrets (`ui:field: Secret`, `ui:widget: password`), whose values never reach a task
 * record or a log.
 */
import { Validator } from "@cfworker/json-schema";
import type { TemplateSpec } from "./template";

export interface FieldError {
  /** Dotted path of the field (`name`, `repo.owner`); empty for the form as a whole. */
  field: string;
  message: string;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** Drops the form's `ui:*` keys so only JSON Schema reaches the validator. */
function schemaOnly(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(schemaOnly);
  if (!isObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (!k.startsWith("ui:")) out[k] = schemaOnly(v);
  return out;
}

function fieldOf(instanceLocation: string, message: string): string {
  const path = instanceLocation.replace(/^#\/?/, "").split("/").filter(Boolean).map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
  const required = /required property "([^"]+)"/.exec(message);
  if (required) path.push(required[1]);
  return path.join(".");
}

/** Every field error of `values` against the template's parameter steps; empty when they are valid. */
export function validateValues(template: Pick<TemplateSpec, "parameters">, values: unknown): FieldError[] {
  if (!isObject(values)) return [{ field: "", message: "values must be an object" }];
  const errors: FieldError[] = [];
  const seen = new Set<string>();
  for (const step of template.parameters) {
    const validator = new Validator(schemaOnly({ type: "object", ...step }) as object, "7", false);
    const result = validator.validate(values);
    for (const e of result.errors) {
      // Structural wrappers (properties, allOf) repeat their children's errors.
      if (["properties", "allOf", "anyOf", "oneOf", "dependencies", "$ref", "items", "if", "then", "else"].includes(e.keyword) && result.errors.length > 1) continue;
      const field = fieldOf(e.instanceLocation, e.error);
      const message = e.error.replace(/^Instance does not have required property "([^"]+)"\.?$/, "is required").replace(/^Property "[^"]+" does not match schema\.?$/, "is invalid");
      const key = `${field}|${message}`;
      if (!seen.has(key)) (seen.add(key), errors.push({ field, message }));
    }
  }
  return errors;
}

/** Names of the top-level fields whose values are secrets. */
export function secretFields(template: Pick<TemplateSpec, "parameters">): string[] {
  const out = new Set<string>();
  const visit = (schema: unknown) => {
    if (!isObject(schema)) return;
    if (isObject(schema.properties)) {
      for (const [name, prop] of Object.entries(schema.properties)) {
        if (isObject(prop) && (prop["ui:field"] === "Secret" || prop["ui:widget"] === "password")) out.add(name);
      }
    }
    for (const key of ["allOf", "oneOf", "anyOf"]) if (Array.isArray(schema[key])) (schema[key] as unknown[]).forEach(visit);
    if (isObject(schema.dependencies)) Object.values(schema.dependencies).forEach(visit);
  };
  template.parameters.forEach(visit);
  return [...out];
}

/** `values` with the secret fields moved out: what may be stored, and what may not. */
export function splitSecrets(values: Record<string, unknown>, fields: readonly string[]): { stored: Record<string, unknown>; secret: Record<string, string> } {
  const stored: Record<string, unknown> = {};
  const secret: Record<string, string> = {};
  for (const [k, v] of Object.entries(values)) {
    if (fields.includes(k)) {
      if (v !== undefined && v !== null && v !== "") secret[k] = typeof v === "string" ? v : JSON.stringify(v);
      stored[k] = "***";
    } else stored[k] = v;
  }
  return { stored, secret };
}

/** Replaces every occurrence of a secret value in `text` with ***. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) if (s && s.length >= 3) out = out.split(s).join("***");
  return out;
}
