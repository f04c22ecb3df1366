/**
 * What the template form renders for one property: a field model derived from the (effective) JSON Schema
 * and its uiSchema, the way react-jsonschema-form picks widgets (type → widget, `enum` → select, `ui:widget`
 * overrides, `ui:field` → a Backstage field extension), plus the conversions between input text and values.
 * Pure: the form components only render what this decides.
 */
import {
  enumLabels,
  isConstOptions,
  isObject,
  isSecretUi,
  objectOptions,
  uiOptions,
  uiValue,
  type JsonObject,
  type JsonSchema,
  type UiSchema,
} from "../../../../contract/template-params/api";

export interface EnumOption {
  value: unknown;
  label: string;
}

export type FieldKind =
  | { kind: "text"; input: "text" | "textarea" | "email" | "url" | "date" | "date-time"; rows?: number }
  | { kind: "secret" }
  | { kind: "number"; integer: boolean; min?: number; max?: number; step?: number }
  | { kind: "boolean" }
  | { kind: "enum"; widget: "select" | "radio"; options: EnumOption[] }
  | { kind: "multi-enum"; widget: "checkboxes" | "select"; options: EnumOption[] }
  | { kind: "array"; itemSchema: JsonSchema; itemUi: UiSchema }
  | { kind: "object"; schema: JsonSchema; options?: { titles: string[] } }
  | { kind: "extension"; field: ExtensionName }
  | { kind: "hidden" }
  | { kind: "unsupported"; reason: string };

export const EXTENSIONS = ["OwnerPicker", "EntityPicker", "RepoUrlPicker", "EntityNamePicker", "EntityTagsPicker", "Secret"] as const;
export type ExtensionName = (typeof EXTENSIONS)[number];

export interface FieldModel {
  name: string;
  path: readonly string[];
  title: string;
  description?: string;
  help?: string;
  placeholder?: string;
  required: boolean;
  autofocus: boolean;
  readonly: boolean;
  schema: JsonSchema;
  ui: UiSchema;
  control: FieldKind;
}

function str(v: unknown): string | undefined {
  return typeof v === "string" && v.trim() ? v : undefined;
}

function num(v: unknown): number | undefined {
  return typeof v === "number" && Number.isFinite(v) ? v : undefined;
}

function typeOf(schema: JsonSchema): string | undefined {
  const t = schema.type;
  if (typeof t === "string") return t;
  if (Array.isArray(t)) return t.find((x) => x !== "null") as string | undefined;
  if (Array.isArray(schema.enum) && schema.enum.length) return typeof schema.enum[0] === "number" ? "number" : typeof schema.enum[0] === "boolean" ? "boolean" : "string";
  if (isObject(schema.properties)) return "object";
  return undefined;
}

/** Enum options from `enum` + `enumNames`, or from `oneOf`/`anyOf` consts with titles (rjsf's two forms). */
export function enumOptions(schema: JsonSchema): EnumOption[] | undefined {
  if (Array.isArray(schema.enum)) {
    const labels = enumLabels(schema);
    return schema.enum.map((value, i) => ({ value, label: labels[i]! }));
  }
  for (const k of ["oneOf", "anyOf"]) {
    const list = schema[k];
    if (isConstOptions(list)) {
      return list.map((o) => {
        const value = Object.hasOwn(o, "const") ? o.const : (o.enum as unknown[])[0];
        return { value, label: str(o.title) ?? (typeof value === "string" ? value : JSON.stringify(value)) };
      });
    }
  }
  return undefined;
}

function controlFor(schema: JsonSchema, ui: UiSchema): FieldKind {
  const field = uiValue(ui, "field");
  const widget = uiValue(ui, "widget");
  if (widget === "hidden" || own(ui, "ui:hidden") === true) return { kind: "hidden" };
  if (isSecretUi(ui)) return { kind: "secret" };
  if (typeof field === "string") {
    if ((EXTENSIONS as readonly string[]).includes(field)) return { kind: "extension", field: field as ExtensionName };
    return { kind: "unsupported", reason: `The field extension ${field} is not available in this portal` };
  }
  const type = typeOf(schema);
  const options = enumOptions(schema);
  if (options && type !== "array") return { kind: "enum", widget: widget === "radio" ? "radio" : "select", options };
  switch (type) {
    case "string": {
      if (widget === "textarea") {
        const rows = num(uiOptions(ui).rows);
        return { kind: "text", input: "textarea", ...(rows ? { rows } : {}) };
      }
      const format = schema.format;
      const input = format === "email" ? "email" : format === "uri" || format === "url" ? "url" : format === "date" ? "date" : format === "date-time" ? "date-time" : "text";
      return { kind: "text", input };
    }
    case "number":
    case "integer": {
      const min = num(schema.minimum) ?? num(schema.exclusiveMinimum);
      const max = num(schema.maximum) ?? num(schema.exclusiveMaximum);
      const step = num(schema.multipleOf) ?? (type === "integer" ? 1 : undefined);
      return { kind: "number", integer: type === "integer", ...(min !== undefined ? { min } : {}), ...(max !== undefined ? { max } : {}), ...(step !== undefined ? { step } : {}) };
    }
    case "boolean":
      return { kind: "boolean" };
    case "array": {
      const items = isObject(schema.items) ? schema.items : {};
      const itemOptions = enumOptions(items);
      if (itemOptions) return { kind: "multi-enum", widget: widget === "select" ? "select" : "checkboxes", options: itemOptions };
      const itemUi = own(ui, "items");
      return { kind: "array", itemSchema: items, itemUi: isObject(itemUi) ? itemUi : {} };
    }
    case "object": {
      const opts = objectOptions(schema);
      return { kind: "object", schema, ...(opts ? { options: { titles: opts.options.map((o, i) => str(o.title) ?? `Option ${i + 1}`) } } : {}) };
    }
    default:
      return { kind: "unsupported", reason: type ? `Fields of type ${type} are not supported` : "This field has no type" };
  }
}

function own(o: unknown, k: string): unknown {
  return isObject(o) && Object.hasOwn(o, k) ? o[k] : undefined;
}

/** The model of one property of an object schema. */
export function fieldModel(name: string, path: readonly string[], schema: JsonSchema, ui: UiSchema, parentRequired: readonly unknown[]): FieldModel {
  const readonlyFlag = schema.readOnly === true || uiValue(ui, "readonly") === true || uiValue(ui, "disabled") === true;
  const description = str(uiValue(ui, "description")) ?? str(schema.description);
  const help = str(own(ui, "ui:help"));
  const placeholder = str(uiValue(ui, "placeholder"));
  return {
    name,
    path,
    title: str(uiValue(ui, "title")) ?? str(schema.title) ?? name,
    ...(description ? { description } : {}),
    ...(help ? { help } : {}),
    ...(placeholder ? { placeholder } : {}),
    required: parentRequired.includes(name),
    autofocus: uiValue(ui, "autofocus") === true,
    readonly: readonlyFlag,
    schema,
    ui,
    control: controlFor(schema, ui),
  };
}

/** Field models of an (effective) object schema, in `ui:order` when given (`*` stands for the rest). */
export function objectFields(schema: JsonSchema, ui: UiSchema, path: readonly string[] = []): FieldModel[] {
  const properties = isObject(schema.properties) ? (schema.properties as JsonObject) : {};
  const required = Array.isArray(schema.required) ? schema.required : [];
  let names = Object.keys(properties).filter((n) => isObject(properties[n]));
  const order = own(ui, "ui:order");
  if (Array.isArray(order) && order.every((o) => typeof o === "string")) {
    const listed = (order as string[]).filter((o) => o === "*" || names.includes(o));
    const rest = names.filter((n) => !listed.includes(n));
    const star = listed.indexOf("*");
    names = star >= 0 ? [...listed.slice(0, star), ...rest, ...listed.slice(star + 1)] : [...listed, ...rest];
  }
  return names.map((n) => {
    const childUi = own(ui, n);
    return fieldModel(n, [...path, n], properties[n] as JsonSchema, isObject(childUi) ? childUi : {}, required);
  });
}

// ------------------------------------------------------------------------------------- input ↔ value

/**
 * Text typed into a field → the value stored in the form. Empty means "no value" (rjsf's emptyValue), so
 * `required` catches a cleared field; a number that does not parse is kept as text so validation says why.
 */
export function parseInput(control: FieldKind, raw: string): unknown {
  if (raw === "") return undefined;
  if (control.kind === "number") {
    const t = raw.trim();
    if (t === "") return undefined;
    const n = Number(t);
    return Number.isFinite(n) && /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(t) ? n : raw;
  }
  return raw;
}

/** A stored value → the text its input shows. */
export function formatInput(value: unknown): string {
  if (value === undefined || value === null) return "";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  return JSON.stringify(value);
}

/** Enum options are rendered as strings: the index is the option's key (values may be numbers or booleans). */
export function enumIndex(options: readonly EnumOption[], value: unknown): number {
  return options.findIndex((o) => Object.is(o.value, value) || JSON.stringify(o.value) === JSON.stringify(value));
}

/**
 * The values sent to the task API: undefined, empty strings and empty objects dropped (they mean "not
 * filled"), arrays compacted the same way. JSON round-trip safe; `__proto__` keys stay data.
 */
export function serializeValues(values: unknown): unknown {
  if (Array.isArray(values)) return values.map(serializeValues).filter((v) => v !== undefined);
  if (isObject(values)) {
    const out: JsonObject = {};
    for (const k of Object.keys(values)) {
      const v = serializeValues(values[k]);
      if (v === undefined) continue;
      Object.defineProperty(out, k, { value: v, enumerable: true, writable: true, configurable: true });
    }
    return Object.keys(out).length ? out : undefined;
  }
  if (values === "" || values === undefined || (typeof values === "number" && !Number.isFinite(values))) return undefined;
  return values;
}
