/**
 * The review step: every value the user entered, per step, labelled by field title and shown the way the
 * form showed it (enum labels, Yes/No), secrets masked. Honors Backstage's `ui:backstage.review`
 * (`show: false` hides a field, `mask` replaces its value).
 */
import { getAt, isObject, resolveTree, SECRET_MASK, type JsonSchema, type TemplateStep, type UiSchema } from "../../../../contract/template-params/api";
import { enumIndex, enumOptions, objectFields } from "./field-model";

export interface ReviewEntry {
  /** JSON pointer-ish dotted path, stable for tests: `railsArguments.database`. */
  field: string;
  label: string;
  display: string;
  masked: boolean;
}

export interface ReviewSection {
  title: string;
  entries: ReviewEntry[];
}

function reviewOptions(ui: UiSchema): { show?: boolean; mask?: string } {
  const b = ui["ui:backstage"];
  const r = isObject(b) ? b.review : undefined;
  if (!isObject(r)) return {};
  return { ...(typeof r.show === "boolean" ? { show: r.show } : {}), ...(typeof r.mask === "string" ? { mask: r.mask } : {}) };
}

/** A value as text: enum labels for enum values, Yes/No, lists joined. */
export function displayValue(schema: JsonSchema, value: unknown): string {
  const options = enumOptions(schema);
  if (options) {
    const i = enumIndex(options, value);
    if (i >= 0) return options[i]!.label;
  }
  if (Array.isArray(value)) {
    const items = isObject(schema.items) ? (schema.items as JsonSchema) : {};
    return value.map((v) => displayValue(items, v)).join(", ");
  }
  if (typeof value === "boolean") return value ? "Yes" : "No";
  if (typeof value === "string") return value;
  if (value === undefined || value === null) return "";
  return JSON.stringify(value);
}

function entriesOf(schema: JsonSchema, ui: UiSchema, values: unknown, path: string[], out: ReviewEntry[], depth: number): void {
  if (depth > 16) return;
  for (const f of objectFields(schema, ui, path)) {
    const value = getAt(values, f.path as string[]);
    if (value === undefined) continue;
    const opts = reviewOptions(f.ui);
    if (opts.show === false || f.control.kind === "hidden") continue;
    if (f.control.kind === "object" && isObject(value)) {
      entriesOf(f.schema, f.ui, values, [...f.path], out, depth + 1);
      continue;
    }
    const secret = f.control.kind === "secret";
    const masked = secret || opts.mask !== undefined;
    out.push({
      field: f.path.join("."),
      label: f.title,
      display: masked ? (opts.mask ?? SECRET_MASK) : displayValue(f.schema, value),
      masked,
    });
  }
}

/** Review sections, one per step, over the effective schema of each step for these values. */
export function reviewSections(steps: readonly TemplateStep[], values: Record<string, unknown>): ReviewSection[] {
  return steps.map((step) => {
    const entries: ReviewEntry[] = [];
    entriesOf(resolveTree(step.schema, values), step.uiSchema, values, [], entries, 0);
    return { title: step.title, entries };
  });
}
