import { describe, expect, it } from "vitest";
import {
  applyDefaults,
  catalogRefChecks,
  catalogRefError,
  DEFAULT_STEP_TITLE,
  errorsByPointer,
  initialValues,
  omitExtraData,
  InvalidTemplateParametersError,
  parseTemplateParameters,
  redactSecrets,
  resolveSchema,
  SECRET_MASK,
  secretFieldPaths,
  splitSecrets,
  validateStep,
  validateTemplateValues,
} from "../../../contract/template-params";
import { loadTemplate } from "./fixtures";

const kitchen = () => parseTemplateParameters(loadTemplate("kitchen-sink").spec.parameters);

describe("parseTemplateParameters", () => {
  it("makes one step per entry of an array", () => {
    const steps = kitchen();
    expect(steps.map((s) => s.title)).toEqual(["About the component", "Options", "Choose a location"]);
    expect(steps[0]!.description).toBe("Name it and say who owns it.");
  });

  it("makes one step of a single object, with Backstage's default title", () => {
    const steps = parseTemplateParameters({ properties: { a: { type: "string" } } });
    expect(steps).toHaveLength(1);
    expect(steps[0]!.title).toBe(DEFAULT_STEP_TITLE);
  });

  it("has no steps without parameters", () => {
    expect(parseTemplateParameters(undefined)).toEqual([]);
  });

  it("refuses entries that are not schemas", () => {
    expect(() => parseTemplateParameters([{ properties: {} }, "x"])).toThrow(InvalidTemplateParametersError);
    expect(() => parseTemplateParameters(7)).toThrow(/spec.parameters\[0\] must be an object/);
  });

  it("moves ui:* keys into a uiSchema keyed by property, leaving plain JSON Schema", () => {
    const [step] = kitchen();
    expect(step!.uiSchema.name).toEqual({ "ui:field": "EntityNamePicker", "ui:autofocus": true });
    expect(step!.uiSchema.description).toMatchObject({ "ui:widget": "textarea", "ui:options": { rows: 3 }, "ui:help": "One or two sentences." });
    expect(JSON.stringify(step!.schema)).not.toContain('"ui:');
  });

  it("collects ui keys from allOf, oneOf, dependencies and items", () => {
    const [step] = parseTemplateParameters({
      allOf: [{ properties: { a: { type: "string", "ui:widget": "password" } } }],
      properties: { list: { type: "array", items: { type: "string", "ui:widget": "textarea" } } },
      dependencies: { a: { properties: { b: { type: "string", "ui:field": "Secret" } } } },
    });
    expect(step!.uiSchema).toMatchObject({ a: { "ui:widget": "password" }, b: { "ui:field": "Secret" }, list: { items: { "ui:widget": "textarea" } } });
  });

  it("keeps __proto__ as a plain property", () => {
    const params = JSON.parse('{"properties":{"__proto__":{"type":"string","ui:widget":"password"}}}');
    const [step] = parseTemplateParameters(params);
    expect(Object.getPrototypeOf(step!.uiSchema)).toBe(Object.prototype);
    expect(Object.hasOwn(step!.uiSchema, "__proto__")).toBe(true);
    expect(({} as Record<string, unknown>).type).toBeUndefined();
  });
});

describe("effective schema", () => {
  it("adds the fields of the dependency option matching the current value", () => {
    const [step] = kitchen();
    const ts = resolveSchema(step!.schema, { lang: "ts" });
    expect(Object.keys(ts.properties as object)).toContain("runtime");
    expect(Object.keys(ts.properties as object)).not.toContain("goVersion");
    expect(ts.required).toEqual(["name", "owner", "lang", "runtime"]);
    const go = resolveSchema(step!.schema, { lang: "go" });
    expect(Object.keys(go.properties as object)).toContain("goVersion");
    // rjsf removes the condition property from the chosen option: lang keeps its enum.
    expect((go.properties as any).lang.enum).toEqual(["ts", "go"]);
  });

  it("adds nothing for a dependency whose key has no value", () => {
    const schema = { properties: { a: { type: "string" } }, dependencies: { a: ["b"], c: { properties: { d: { type: "string" } } } } };
    expect(resolveSchema(schema, {})).toEqual({ properties: { a: { type: "string" } } });
    expect(resolveSchema(schema, { a: "x" }).required).toEqual(["b"]);
    expect(Object.keys(resolveSchema(schema, { c: 1 }).properties as object)).toEqual(["a", "d"]);
  });

  it("merges allOf and applies if/then/else", () => {
    const [, options] = kitchen();
    expect(Object.keys(resolveSchema(options!.schema, {}).properties as object)).toEqual(["replicas", "public", "apiToken", "adminPassword"]);
    const cond = { properties: { k: { type: "string" } }, if: { properties: { k: { const: "x" } } }, then: { required: ["y"] }, else: { required: ["z"] } };
    expect(resolveSchema(cond, { k: "x" }).required).toEqual(["y"]);
    expect(resolveSchema(cond, { k: "w" }).required).toEqual(["z"]);
  });

  it("resolves local $refs", () => {
    const schema = { definitions: { n: { type: "string", minLength: 2 } }, properties: { a: { $ref: "#/definitions/n" } } };
    expect(validateStep({ title: "t", schema, uiSchema: {} }, { a: "x" }).errors).toMatchObject([{ pointer: "/a", message: "Must be at least 2 characters" }]);
  });

  it("resolves an object-level oneOf to the chosen option, else the matching one", () => {
    const schema = { oneOf: [{ title: "A", properties: { a: { type: "string" } }, required: ["a"] }, { title: "B", properties: { b: { type: "number" } }, required: ["b"] }] };
    expect(Object.keys(resolveSchema(schema, { b: 1 }).properties as object)).toEqual(["b"]);
    expect(Object.keys(resolveSchema(schema, {}, schema, { "": 1 }).properties as object)).toEqual(["b"]);
    expect(Object.keys(resolveSchema(schema, {}).properties as object)).toEqual(["a"]);
  });

  it("returns a plain schema unchanged (no copy on the cheap path)", () => {
    const schema = { properties: { a: { type: "string" } } };
    expect(resolveSchema(schema, { a: "x" })).toBe(schema);
  });
});

describe("defaults", () => {
  it("fills defaults, including fields a dependency adds", () => {
    const steps = kitchen();
    expect(initialValues(steps)).toEqual({ lang: "ts", runtime: "workers", replicas: 2, public: false });
    expect(applyDefaults(steps[0]!.schema, { lang: "go" })).toEqual({ lang: "go", goVersion: "1.22" });
  });

  it("keeps values the user gave, and fills nested objects", () => {
    const schema = { properties: { a: { type: "string", default: "x" }, o: { type: "object", properties: { n: { type: "number", default: 3 }, m: { type: "string" } } } } };
    expect(applyDefaults(schema, { a: "mine", o: { m: "k" } })).toEqual({ a: "mine", o: { m: "k", n: 3 } });
    expect(applyDefaults({ properties: { o: { type: "object", properties: { m: { type: "string" } } } } }, {})).toEqual({});
  });
});

describe("validation", () => {
  it("reports missing required fields by pointer, with the field's title", () => {
    const [step] = kitchen();
    const out = validateStep(step!, { lang: "ts", runtime: "node" });
    expect(out.valid).toBe(false);
    expect(errorsByPointer(out.errors)).toEqual({ "/name": ["Name is required"], "/owner": ["Owner is required"] });
  });

  it("reports the fields a dependency adds", () => {
    const [step] = kitchen();
    const out = validateStep(step!, { name: "svc", owner: "group:default/a", lang: "go", goVersion: "2" });
    expect(out.errors).toEqual([{ pointer: "/goVersion", field: "goVersion", message: "Must match the pattern ^1\\.[0-9]+$", keyword: "pattern" }]);
  });

  it("refuses a dependency value that no option accepts, at that field", () => {
    const schema = { properties: { k: { type: "string" } }, dependencies: { k: { oneOf: [{ properties: { k: { const: "a" } } }, { properties: { k: { const: "b" } } }] } } };
    const out = validateStep({ title: "t", schema, uiSchema: {} }, { k: "c" });
    expect(out.errors).toMatchObject([{ pointer: "/k", keyword: "oneOf" }]);
  });

  it("labels enum errors with enumNames", () => {
    const [step] = kitchen();
    const out = validateStep(step!, { name: "svc", owner: "group:default/a", lang: "rust" });
    expect(errorsByPointer(out.errors)["/lang"]).toEqual(["Must be one of: TypeScript, Go"]);
  });

  it("gives readable messages for type and range errors", () => {
    const [, options] = kitchen();
    expect(errorsByPointer(validateStep(options!, { replicas: 9 }).errors)["/replicas"]).toEqual(["Must be 5 or less"]);
    expect(errorsByPointer(validateStep(options!, { replicas: 1.5 }).errors)["/replicas"]).toEqual(["Must be a whole number"]);
    expect(errorsByPointer(validateStep(options!, { public: "yes" }).errors)["/public"]).toEqual(["Must be true or false"]);
  });

  it("validates nested objects and array items at their own pointer", () => {
    const schema = { properties: { o: { type: "object", properties: { "a/b": { type: "integer" } } }, list: { type: "array", items: { enum: ["x"] } } } };
    const out = validateStep({ title: "t", schema, uiSchema: {} }, { o: { "a/b": "1" }, list: ["x", "y"] });
    expect(out.errors.map((e) => [e.pointer, e.field, e.message])).toEqual([
      ["/o/a~1b", "o.a/b", "Must be a whole number"],
      ["/list/1", "list.1", "Must be one of: x"],
    ]);
  });

  it("applies the field extensions' rules", () => {
    const steps = kitchen();
    const out = validateTemplateValues(steps, {
      name: "-bad-",
      owner: "system:default/x",
      system: "a:b:c",
      tags: ["Bad Tag", "ok"],
      lang: "ts",
      runtime: "node",
      repoUrl: "gitlab.com?owner=other&repo=r",
    });
    const by = errorsByPointer(out.errors);
    expect(by["/name"]![0]).toMatch(/^Must start and end with an alphanumeric character/);
    expect(by["/owner"]).toEqual(["Must be a group"]);
    expect(by["/system"]).toEqual(["Must be an entity reference such as group:default/team-a"]);
    expect(by["/tags"]![0]).toMatch(/"Bad Tag"/);
    expect(by["/repoUrl"]).toEqual(["Host gitlab.com is not allowed; choose one of github.com", "Owner other is not allowed; choose one of acme, acme-labs"]);
  });

  it("accepts a complete, valid form", () => {
    const steps = kitchen();
    const values = { ...initialValues(steps), name: "payments", owner: "group:default/team-a", system: "payments-sys", tags: ["web", "go"], repoUrl: "github.com?owner=acme&repo=payments", adminPassword: "long-enough" };
    expect(validateTemplateValues(steps, values)).toEqual({ valid: true, errors: [] });
  });

  it("refuses non-objects and absurdly deep values", () => {
    const steps = kitchen();
    expect(validateTemplateValues(steps, [1]).errors[0]!.message).toBe("Values must be an object");
    let deep: unknown = 1;
    for (let i = 0; i < 100; i++) deep = { d: deep };
    expect(validateTemplateValues(steps, deep).errors[0]!.keyword).toBe("maxDepth");
  });

  it("reports a broken template schema instead of throwing", () => {
    const out = validateStep({ title: "t", schema: { properties: { a: { type: "string", pattern: "(" } } }, uiSchema: {} }, { a: "x" });
    expect(out.valid).toBe(false);
    expect(out.errors[0]!.message).toMatch(/^The template's form is invalid/);
  });
});

describe("secrets", () => {
  it("finds ui:field Secret and ui:widget password fields", () => {
    expect(secretFieldPaths(kitchen())).toEqual([["apiToken"], ["adminPassword"]]);
  });

  it("splits secrets out of the values and masks them", () => {
    const steps = kitchen();
    const { values, secrets } = splitSecrets(steps, { name: "a", apiToken: "tok-123", adminPassword: "hunter2hunter2" });
    expect(values).toEqual({ name: "a", apiToken: SECRET_MASK, adminPassword: SECRET_MASK });
    expect(secrets).toEqual({ apiToken: "tok-123", adminPassword: "hunter2hunter2" });
    expect(JSON.stringify(values)).not.toContain("tok-123");
  });

  it("validates the real secret, not the mask", () => {
    const steps = kitchen();
    const { values, secrets } = splitSecrets(steps, { adminPassword: "short" });
    const [, options] = steps;
    expect(errorsByPointer(validateStep(options!, values, { secrets }).errors)["/adminPassword"]).toEqual(["Must be at least 8 characters"]);
    expect(validateStep(options!, values, { secrets: { adminPassword: "long enough" } }).valid).toBe(true);
  });

  it("redacts secrets a client put in values directly", () => {
    expect(redactSecrets(kitchen(), { apiToken: "leak", name: "n" })).toEqual({ apiToken: SECRET_MASK, name: "n" });
  });
});

describe("omitExtraData", () => {
  it("drops values of fields no step shows any more, keeps free-form objects", () => {
    const steps = kitchen();
    expect(omitExtraData(steps, { name: "a", lang: "go", runtime: "workers", goVersion: "1.2", stray: 1, repoUrl: "x" })).toEqual({ name: "a", lang: "go", goVersion: "1.2", repoUrl: "x" });
    const free = parseTemplateParameters({ properties: { o: { type: "object" }, p: { type: "object", properties: { a: { type: "string" } } } } });
    expect(omitExtraData(free, { o: { any: 1 }, p: { a: "x", b: "y" } })).toEqual({ o: { any: 1 }, p: { a: "x" } });
  });
});

describe("catalog-only pickers (allowArbitraryValues: false)", () => {
  const steps = parseTemplateParameters([
    {
      title: "Pick",
      properties: {
        service: { type: "string", "ui:field": "EntityPicker", "ui:options": { allowArbitraryValues: false, catalogFilter: { kind: "Component", "spec.type": "service" } } },
        owner: { type: "string", "ui:field": "OwnerPicker", "ui:options": { allowArbitraryValues: false } },
        free: { type: "string", "ui:field": "EntityPicker", "ui:options": { catalogFilter: { kind: "Component" } } },
        system: { type: "string", "ui:field": "EntityPicker", "ui:options": { allowArbitraryValues: false, allowedKinds: ["System"] } },
      },
    },
  ]);

  it("lists the lookups: completed refs with their filters, only for pickers that refuse arbitrary values", () => {
    expect(catalogRefChecks(steps, { service: "payments", owner: "team-a", free: "whatever", system: "Not A Ref:" })).toEqual([
      { pointer: "/service", field: "service", ref: "component:default/payments", filters: [{ kind: "Component", "spec.type": "service" }], keyword: "EntityPicker" },
      { pointer: "/owner", field: "owner", ref: "group:default/team-a", filters: [{ kind: ["Group", "User"] }], keyword: "OwnerPicker" },
    ]);
    expect(catalogRefChecks(steps, {})).toEqual([]);
  });

  it("words the miss at the field", () => {
    const [check] = catalogRefChecks(steps, { service: "payments" });
    expect(catalogRefError(check!)).toEqual({ pointer: "/service", field: "service", message: "component:default/payments is not in the catalog; choose one of the suggestions", keyword: "EntityPicker" });
  });
});
