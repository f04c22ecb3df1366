/**
 * Secret fields (`ui:field: Secret`, `ui:widget: password`): found from the uiSchema, split out of the values
 * before a task is created (Backstage's SecretField keeps a mask in the form data and the real value in the
 * task's `secrets`, keyed by the field's name), and masked wherever values are shown, logged or stored.
 */
import { getAt, isObject, own, setAt, type JsonObject } from "./json";
import type { TemplateStep, UiSchema } from "./steps";

/** What a secret's value becomes in `values` (fixed length: the mask says nothing about the secret). */
export const SECRET_MASK = "********";

export function isSecretUi(ui: unknown): boolean {
  if (!isObject(ui)) return false;
  const options = own(ui, "ui:options");
  return own(ui, "ui:field") === "Secret" || own(ui, "ui:widget") === "password" || (isObject(options) && own(options, "widget") === "password");
}

/** Property paths (segments) of every secret field of the steps; array items are not walked (no template does this). */
export function secretFieldPaths(steps: readonly TemplateStep[]): string[][] {
  const out: string[][] = [];
  const seen = new Set<string>();
  const walk = (ui: UiSchema, path: string[], depth: number) => {
    if (depth > 32) return;
    for (const key of Object.keys(ui)) {
      if (key.startsWith("ui:") || key === "items") continue;
      const child = ui[key];
      if (!isObject(child)) continue;
      const p = [...path, key];
      if (isSecretUi(child)) {
        const id = JSON.stringify(p);
        if (!seen.has(id)) {
          seen.add(id);
          out.push(p);
        }
      } else walk(child, p, depth + 1);
    }
  };
  for (const step of steps) walk(step.uiSchema, [], 0);
  return out;
}

/** The key a secret travels under in `secrets`: the field's own name, as Backstage's SecretField does. */
export function secretKey(path: readonly string[]): string {
  return path[path.length - 1] ?? "";
}

/**
 * Splits form values into what may be stored and shown (`values`, secrets masked) and `secrets` (the real
 * values, for the task's `secrets` field only). Empty secrets are left out of both.
 */
export function splitSecrets(steps: readonly TemplateStep[], values: JsonObject): { values: JsonObject; secrets: Record<string, string> } {
  let out: unknown = values;
  const secrets: Record<string, string> = Object.create(null);
  for (const path of secretFieldPaths(steps)) {
    const v = getAt(values, path);
    if (v === undefined || v === null || v === "") continue;
    if (typeof v === "string") secrets[secretKey(path)] = v;
    out = setAt(out, path, SECRET_MASK);
  }
  return { values: out as JsonObject, secrets: { ...secrets } };
}

/** `values` with every secret field masked: what a worker stores in a task record or writes to a log. */
export function redactSecrets(steps: readonly TemplateStep[], values: JsonObject): JsonObject {
  return splitSecrets(steps, values).values;
}

/** Puts secrets back under their fields (for validation): a secret's real value is what the rules apply to. */
export function mergeSecrets(steps: readonly TemplateStep[], values: JsonObject, secrets: unknown): JsonObject {
  if (!isObject(secrets)) return values;
  let out: unknown = values;
  for (const path of secretFieldPaths(steps)) {
    const s = own(secrets, secretKey(path));
    if (typeof s === "string") out = setAt(out, path, s);
  }
  return out as JsonObject;
}
