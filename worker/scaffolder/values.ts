/**
 * The values a task runs with, through the module the portal's form uses (contract/template-params.ts), so
 * the form and POST /tasks validate with the same code: field errors keyed by JSON pointer, secret fields
 * (`ui:field: Secret`, `ui:widget: password`) masked in what is stored and kept apart for the run.
 */
import {
  InvalidTemplateParametersError,
  mergeSecrets,
  parseTemplateParameters,
  secretFieldPaths,
  setAt,
  splitSecrets,
  validateTemplateValues,
  type FieldError,
  type JsonObject,
  type TemplateStep,
} from "../../contract/template-params";
import { ApiError } from "../errors";

export type { FieldError };

export function parameterSteps(parameters: unknown): TemplateStep[] {
  try {
    return parseTemplateParameters(parameters);
  } catch (err) {
    if (err instanceof InvalidTemplateParametersError) throw new ApiError("InputError", `Template ${err.message}`);
    throw err;
  }
}

export interface CheckedValues {
  /** The values with every secret field masked: what the task record keeps. */
  stored: JsonObject;
  /** Secret fields' real values by their property path (JSON of the segments), for the run only. */
  secretFields: Record<string, string>;
  /** What `${{ secrets.x }}` sees: the request's secrets plus the secret fields under their names (Backstage's SecretField). */
  secrets: Record<string, string>;
}

/** Validates `values` (with `secrets` standing in for masked secret fields); 400 with the field errors when invalid. */
export function checkValues(steps: readonly TemplateStep[], values: unknown, secrets: Record<string, string>): CheckedValues {
  const outcome = validateTemplateValues(steps, values, { secrets });
  if (!outcome.valid) {
    throw new ApiError("InputError", `The values do not match the template's parameters: ${outcome.errors.map((e) => `${e.field || "values"}: ${e.message}`).join("; ")}`, { errors: outcome.errors });
  }
  const merged = mergeSecrets(steps, values as JsonObject, secrets);
  const split = splitSecrets(steps, merged);
  const secretFields: Record<string, string> = {};
  for (const path of secretFieldPaths(steps)) {
    let v: unknown = merged;
    for (const s of path) v = v && typeof v === "object" ? (v as Record<string, unknown>)[s] : undefined;
    if (typeof v === "string" && v) secretFields[JSON.stringify(path)] = v;
  }
  return { stored: split.values, secretFields, secrets: { ...split.secrets, ...secrets } };
}

/** The stored values with the secret fields' real values put back, for rendering a step's input. */
export function withSecretFields(stored: Record<string, unknown>, secretFields: Record<string, string>): Record<string, unknown> {
  let out: unknown = stored;
  for (const [path, v] of Object.entries(secretFields)) out = setAt(out, JSON.parse(path) as string[], v);
  return out as Record<string, unknown>;
}

/** Replaces every occurrence of a secret value in `text` with ***. */
export function redact(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) if (s && s.length >= 3) out = out.split(s).join("***");
  return out;
}
