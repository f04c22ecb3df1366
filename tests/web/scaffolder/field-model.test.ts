import { describe, expect, it } from "vitest";
import { parseTemplateParameters, resolveSchema } from "../../../contract/template-params";
import { enumOptions, fieldModel, formatInput, objectFields, parseInput, serializeValues } from "../../../web/src/lib/scaffolder/field-model";
import { reviewSections } from "../../../web/src/lib/scaffolder/review";
import { loadTemplate } from "./fixtures";

const kitchen = () => parseTemplateParameters(loadTemplate("kitchen-sink").spec.parameters);

describe("field model from schema", () => {
  it("picks controls the way react-jsonschema-form does", () => {
    const [about] = kitchen();
    const fields = objectFields(resolveSchema(about!.schema, { lang: "ts" }), about!.uiSchema);
    const by = Object.fromEntries(fields.map((f) => [f.name, f]));
    expect(fields.map((f) => f.name)).toEqual(["name", "description", "owner", "system", "tags", "lang", "runtime"]);
    expect(by.name!.control).toEqual({ kind: "extension", field: "EntityNamePicker" });
    expect(by.name!.autofocus).toBe(true);
    expect(by.name!.required).toBe(true);
    expect(by.description!.control).toEqual({ kind: "text", input: "textarea", rows: 3 });
    expect(by.description!.help).toBe("One or two sentences.");
    expect(by.owner!.control).toEqual({ kind: "extension", field: "OwnerPicker" });
    expect(by.tags!.control).toEqual({ kind: "extension", field: "EntityTagsPicker" });
    expect(by.lang!.control).toEqual({ kind: "enum", widget: "radio", options: [{ value: "ts", label: "TypeScript" }, { value: "go", label: "Go" }] });
    expect(by.runtime!.control).toMatchObject({ kind: "enum", widget: "select" });
  });

  it("maps types, formats and widgets", () => {
    const m = (schema: Record<string, unknown>, ui: Record<string, unknown> = {}) => fieldModel("x", ["x"], schema, ui, []).control;
    expect(m({ type: "string", format: "email" })).toEqual({ kind: "text", input: "email" });
    expect(m({ type: "string" }, { "ui:widget": "password" })).toEqual({ kind: "secret" });
    expect(m({ type: "string" }, { "ui:field": "Secret" })).toEqual({ kind: "secret" });
    expect(m({ type: "string" }, { "ui:options": { widget: "textarea" } })).toEqual({ kind: "text", input: "textarea" });
    expect(m({ type: "integer", minimum: 1, maximum: 5 })).toEqual({ kind: "number", integer: true, min: 1, max: 5, step: 1 });
    expect(m({ type: "number" })).toEqual({ kind: "number", integer: false });
    expect(m({ type: "boolean" })).toEqual({ kind: "boolean" });
    expect(m({ type: "string" }, { "ui:widget": "hidden" })).toEqual({ kind: "hidden" });
    expect(m({ type: "string", enum: ["a", "b"] }, { "ui:widget": "select" })).toMatchObject({ kind: "enum", widget: "select" });
    expect(m({ type: "array", items: { type: "string", enum: ["a", "b"], enumNames: ["A", "B"] } }, { "ui:widget": "checkboxes" })).toEqual({
      kind: "multi-enum",
      widget: "checkboxes",
      options: [{ value: "a", label: "A" }, { value: "b", label: "B" }],
    });
    expect(m({ type: "array", items: { type: "string" } })).toMatchObject({ kind: "array", itemSchema: { type: "string" } });
    expect(m({ type: "object", properties: { a: { type: "string" } } })).toMatchObject({ kind: "object" });
    expect(m({ type: "string" }, { "ui:field": "MyCustomPicker" })).toEqual({ kind: "unsupported", reason: "The field extension MyCustomPicker is not available in this portal" });
  });

  it("reads enum labels from oneOf consts with titles", () => {
    expect(enumOptions({ type: "string", oneOf: [{ const: "s", title: "Small" }, { const: "l", title: "Large" }] })).toEqual([
      { value: "s", label: "Small" },
      { value: "l", label: "Large" },
    ]);
  });

  it("orders fields by ui:order with * for the rest", () => {
    const schema = { properties: { a: { type: "string" }, b: { type: "string" }, c: { type: "string" } } };
    expect(objectFields(schema, { "ui:order": ["c", "*"] }).map((f) => f.name)).toEqual(["c", "a", "b"]);
    expect(objectFields(schema, { "ui:order": ["b"] }).map((f) => f.name)).toEqual(["b", "a", "c"]);
  });

  it("labels, descriptions and the read-only flag come from schema or uiSchema", () => {
    const f = fieldModel("n", ["n"], { type: "string", description: "from schema", readOnly: true }, { "ui:title": "Custom", "ui:placeholder": "e.g. x" }, ["n"]);
    expect(f).toMatchObject({ title: "Custom", description: "from schema", placeholder: "e.g. x", readonly: true, required: true });
  });
});

describe("value serialization", () => {
  it("turns typed text into values: empty is no value, numbers parse, bad numbers stay text", () => {
    const num = { kind: "number", integer: false } as const;
    expect(parseInput(num, "")).toBeUndefined();
    expect(parseInput(num, "  ")).toBeUndefined();
    expect(parseInput(num, "3")).toBe(3);
    expect(parseInput(num, "-1.5e2")).toBe(-150);
    expect(parseInput(num, "3x")).toBe("3x");
    expect(parseInput(num, "0x10")).toBe("0x10");
    expect(parseInput({ kind: "text", input: "text" }, " a ")).toBe(" a ");
    expect(parseInput({ kind: "text", input: "text" }, "")).toBeUndefined();
  });

  it("shows values as input text", () => {
    expect(formatInput(undefined)).toBe("");
    expect(formatInput(2)).toBe("2");
    expect(formatInput("x")).toBe("x");
  });

  it("drops empty values before sending, keeps falsy real values and hostile keys as data", () => {
    const input = JSON.parse('{"a":"","b":0,"c":false,"d":{"e":""},"f":["x","",null],"__proto__":{"g":1}}');
    const out = serializeValues(input) as Record<string, unknown>;
    expect(out).toEqual(JSON.parse('{"b":0,"c":false,"f":["x",null],"__proto__":{"g":1}}'));
    expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
    expect(serializeValues({})).toBeUndefined();
  });
});

describe("review", () => {
  it("lists every entered value per step, with enum labels and secrets masked", () => {
    const steps = kitchen();
    const sections = reviewSections(steps, { name: "pay", lang: "go", goVersion: "1.22", tags: ["a", "b"], public: true, apiToken: "t0ken", repoUrl: "github.com?owner=acme&repo=pay" });
    expect(sections.map((s) => s.title)).toEqual(["About the component", "Options", "Choose a location"]);
    expect(sections[0]!.entries.map((e) => [e.field, e.display])).toEqual([
      ["name", "pay"],
      ["tags", "a, b"],
      ["lang", "Go"],
      ["goVersion", "1.22"],
    ]);
    expect(sections[1]!.entries).toEqual([
      { field: "public", label: "Public", display: "Yes", masked: false },
      { field: "apiToken", label: "API token", display: "********", masked: true },
    ]);
    expect(JSON.stringify(sections)).not.toContain("t0ken");
  });

  it("honours ui:backstage review show and mask, and walks nested objects", () => {
    const steps = parseTemplateParameters({
      properties: {
        hidden: { type: "string", "ui:backstage": { review: { show: false } } },
        pin: { type: "string", "ui:backstage": { review: { mask: "••••" } } },
        o: { type: "object", properties: { db: { type: "string", enum: ["pg"], enumNames: ["PostgreSQL"] } } },
      },
    });
    const [s] = reviewSections(steps, { hidden: "x", pin: "1234", o: { db: "pg" } });
    expect(s!.entries.map((e) => [e.field, e.display])).toEqual([
      ["pin", "••••"],
      ["o.db", "PostgreSQL"],
    ]);
  });
});
