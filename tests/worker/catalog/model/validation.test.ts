import { describe, expect, it } from "vitest";
import { validateEntity, MAX_ENTITY_BYTES } from "../../../../worker/catalog/validation";

const ADR =
  "To learn more about catalog file format, visit: https://github.com/backstage/backstage/blob/master/docs/architecture-decisions/adr002-default-catalog-file-format.md";

function component(patch: { metadata?: Record<string, unknown>; root?: Record<string, unknown>; spec?: unknown } = {}) {
  return {
    apiVersion: "backstage.io/v1alpha1",
    kind: "Component",
    metadata: { name: "x", ...patch.metadata },
    spec: patch.spec === undefined ? { type: "service", lifecycle: "production", owner: "team-a" } : patch.spec,
    ...patch.root,
  };
}

function firstMessage(raw: unknown): string | undefined {
  return validateEntity(raw).problems[0]?.message;
}

describe("validateEntity: metadata.name (§A.4)", () => {
  it.each(["a", "A", "1", "a-b_c.d", "a..b", "a".repeat(63)])("accepts %s", (name) => {
    expect(validateEntity(component({ metadata: { name } })).problems).toEqual([]);
  });
  it.each(["-a", "a-", "a_", "a".repeat(64), "ä", "a b", "a/b", "a:b"])("rejects %s", (name) => {
    const result = validateEntity(component({ metadata: { name } }));
    expect(result.entity).toBeUndefined();
    expect(result.problems).toEqual([
      {
        field: "metadata.name",
        name: "InputError",
        message: `"metadata.name" is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total but found "${name}". ${ADR}`,
        rule: "expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.], at most 63 characters in total",
      },
    ]);
  });
});

describe("validateEntity: metadata.namespace (§A.4)", () => {
  it.each(["default", "a-b", "a--b", "1"])("accepts %s", (namespace) => {
    expect(validateEntity(component({ metadata: { namespace } })).entity?.metadata.namespace).toBe(namespace);
  });
  it.each(["A", "a_b", "a.b", "-a"])("rejects %s", (namespace) => {
    const problems = validateEntity(component({ metadata: { namespace } })).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe("metadata.namespace");
    expect(problems[0].message).toBe(
      `"metadata.namespace" is not valid; expected a string that is sequences of [a-z0-9] separated by [-], at most 63 characters in total but found "${namespace}". ${ADR}`,
    );
  });
  it("fills in the default namespace", () => {
    expect(validateEntity(component()).entity?.metadata.namespace).toBe("default");
  });
});

describe("validateEntity: tags (§A.4)", () => {
  it.each(["java", "c++", "c#", "a:b", "a-b"])("accepts %s", (tag) => {
    expect(validateEntity(component({ metadata: { tags: [tag] } })).problems).toEqual([]);
  });
  it.each(["Java", "a--b", "a_b", "a.b", "-a", "a".repeat(64)])("rejects %s", (tag) => {
    expect(validateEntity(component({ metadata: { tags: ["ok", tag] } })).problems).toEqual([
      {
        field: "metadata.tags.1",
        name: "InputError",
        message: `"tags.1" is not valid; expected a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total but found "${tag}". ${ADR}`,
        rule: "expected a string that is sequences of [a-z0-9+#] separated by [-], at most 63 characters in total",
      },
    ]);
  });
  it("rejects an empty tag in the schema step", () => {
    expect(firstMessage(component({ metadata: { tags: [""] } }))).toBe(
      "Malformed envelope, /metadata/tags/0 must NOT have fewer than 1 characters",
    );
  });
  it("rejects tags that are not a list", () => {
    const result = validateEntity(component({ metadata: { tags: "java" } }));
    expect(result.problems).toEqual([
      { field: "metadata.tags", name: "InputError", message: "Malformed envelope, /metadata/tags must be array", rule: "envelope schema: must be array" },
    ]);
  });
});

describe("validateEntity: label and annotation keys (§A.4)", () => {
  it.each(["backstage.io/x", "x", "example.com/X_y.z"])("accepts key %s", (key) => {
    expect(validateEntity(component({ metadata: { labels: { [key]: "v" }, annotations: { [key]: "v" } } })).problems).toEqual([]);
  });
  it.each(["a/b/c", "/x", "x/", "UPPER.com/x"])("rejects label key %s", (key) => {
    const problems = validateEntity(component({ metadata: { labels: { [key]: "v" } } })).problems;
    expect(problems[0]).toEqual({
      field: `metadata.labels.${key}`,
      name: "InputError",
      message: `"labels.${key}" is not valid; expected a valid prefix and/or suffix but found "${key}". ${ADR}`,
      rule: "expected a valid prefix and/or suffix",
    });
  });
  it.each(["a/b/c", "/x", "x/", "UPPER.com/x"])("rejects annotation key %s", (key) => {
    const problems = validateEntity(component({ metadata: { annotations: { [key]: "v" } } })).problems;
    expect(problems[0].message).toBe(`"annotations.${key}" is not valid; expected a valid prefix and/or suffix but found "${key}". ${ADR}`);
  });
  it("accepts an empty annotation value", () => {
    expect(validateEntity(component({ metadata: { annotations: { "backstage.io/x": "" } } })).problems).toEqual([]);
  });
  it("rejects a number annotation value in the schema step", () => {
    expect(validateEntity(component({ metadata: { annotations: { "backstage.io/x": 1 } } })).problems).toEqual([
      {
        field: "metadata.annotations.backstage.io/x",
        name: "InputError",
        message: "Malformed envelope, /metadata/annotations/backstage.io~1x must be string",
        rule: "envelope schema: must be string",
      },
    ]);
  });
  it("rejects a label value that is not a name", () => {
    expect(firstMessage(component({ metadata: { labels: { tier: "not valid" } } }))).toContain(
      '"labels.tier" is not valid; expected a string that is sequences of [a-zA-Z0-9] separated by any of [-_.]',
    );
  });
});

describe("validateEntity: envelope and root fields (§A.4)", () => {
  it("rejects root relations as an unknown field", () => {
    expect(validateEntity(component({ root: { relations: [] } })).problems).toEqual([
      { field: "relations", name: "InputError", message: "Unknown field relations", rule: "only apiVersion, kind, metadata and spec may be given" },
    ]);
  });
  it("rejects root status as an unknown field", () => {
    expect(firstMessage(component({ root: { status: { items: [] } } }))).toBe("Unknown field status");
  });
  it("rejects a foreign root field in the schema step", () => {
    expect(validateEntity(component({ root: { foo: 1 } })).problems).toEqual([
      { field: "foo", name: "InputError", message: "Malformed envelope, <root> must NOT have additional properties", rule: "envelope schema: must NOT have additional properties" },
    ]);
  });
  it("rejects an empty title", () => {
    expect(validateEntity(component({ metadata: { title: "" } })).problems).toEqual([
      {
        field: "metadata.title",
        name: "InputError",
        message: "Malformed envelope, /metadata/title must NOT have fewer than 1 characters",
        rule: "envelope schema: must NOT have fewer than 1 characters",
      },
    ]);
  });
  it("accepts and keeps unknown metadata fields and an input uid", () => {
    const entity = validateEntity(component({ metadata: { foo: "bar", uid: "abc" } })).entity;
    expect(entity?.metadata).toMatchObject({ foo: "bar", uid: "abc" });
  });
  it.each([
    [{ kind: "Component", metadata: { name: "x" } }, "Malformed envelope, <root> must have required property 'apiVersion'", "apiVersion"],
    [{ apiVersion: "backstage.io/v1alpha1", metadata: { name: "x" } }, "Malformed envelope, <root> must have required property 'kind'", "kind"],
    [{ apiVersion: "a", kind: "B" }, "Malformed envelope, <root> must have required property 'metadata'", "metadata"],
    [{ apiVersion: "a", kind: "B", metadata: {} }, "Malformed envelope, /metadata must have required property 'name'", "metadata.name"],
    [{ apiVersion: "", kind: "B", metadata: { name: "x" } }, "Malformed envelope, /apiVersion must NOT have fewer than 1 characters", "apiVersion"],
    [{ apiVersion: "a", kind: 7, metadata: { name: "x" } }, "Malformed envelope, /kind must be string", "kind"],
    [{ apiVersion: "a", kind: "B", metadata: { name: "x" }, spec: [] }, "Malformed envelope, /spec must be object", "spec"],
    [{ apiVersion: "a", kind: "B", metadata: { name: "x", links: [{ title: "t" }] } }, "Malformed envelope, /metadata/links/0 must have required property 'url'", "metadata.links.0.url"],
  ])("reports the first envelope failure (%#)", (raw, message, field) => {
    expect(validateEntity(raw).problems).toEqual([{ field, name: "InputError", message, rule: `envelope schema: ${message.replace(/^Malformed envelope, \S+ /, "")}` }]);
  });
  it.each([[null], [42], ["text"], [[]]])("rejects a non-object %j", (raw) => {
    expect(firstMessage(raw)).toBe("Malformed envelope, <root> must be object");
  });
  it("checks link formats", () => {
    const result = validateEntity(component({ metadata: { links: [{ url: "not a url" }, { url: "https://x.test", title: "  " }] } }));
    expect(result.problems.map((p) => p.field)).toEqual(["metadata.links.0.url", "metadata.links.1.title"]);
    expect(result.problems[0].message).toContain('"links.0.url" is not valid; expected a string that is a valid url but found "not a url"');
    expect(result.problems[1].message).toContain('"links.1.title" is not valid; expected a non empty string');
  });
  it("checks apiVersion and kind formats", () => {
    expect(validateEntity({ apiVersion: "a/b/c", kind: "my-kind", metadata: { name: "x" } }).problems.map((p) => p.field)).toEqual([
      "apiVersion",
      "kind",
    ]);
  });
});

describe("validateEntity: kind schemas (§A.3, §A.4)", () => {
  it("rejects a Component without spec", () => {
    const raw = { apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "x" } };
    expect(validateEntity(raw).problems).toEqual([
      { field: "spec", name: "InputError", message: "<root> must have required property 'spec' - missingProperty: spec", rule: "the schema of kind Component" },
    ]);
  });
  it("rejects a Component without owner", () => {
    const result = validateEntity(component({ spec: { type: "service", lifecycle: "production" } }));
    expect(result.problems).toEqual([
      { field: "spec.owner", name: "InputError", message: "/spec must have required property 'owner' - missingProperty: owner", rule: "the schema of kind Component" },
    ]);
  });
  it("rejects a Group without children and a User without memberOf", () => {
    const group = { apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: "g" }, spec: { type: "team" } };
    const user = { apiVersion: "backstage.io/v1beta1", kind: "User", metadata: { name: "u" }, spec: {} };
    expect(firstMessage(group)).toBe("/spec must have required property 'children' - missingProperty: children");
    expect(firstMessage(user)).toBe("/spec must have required property 'memberOf' - missingProperty: memberOf");
  });
  it("accepts an empty children and memberOf list", () => {
    const group = { apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: "g" }, spec: { type: "team", children: [] } };
    const user = { apiVersion: "backstage.io/v1alpha1", kind: "User", metadata: { name: "u" }, spec: { memberOf: [] } };
    expect(validateEntity(group).problems).toEqual([]);
    expect(validateEntity(user).problems).toEqual([]);
  });
  it("reports wrong types and empty strings in ajv's words", () => {
    const result = validateEntity(component({ spec: { type: "", lifecycle: 5, owner: "a", providesApis: "api-a" } }));
    expect(result.problems.map((p) => p.message)).toEqual([
      "/spec/type must NOT have fewer than 1 characters - limit: 1",
      "/spec/lifecycle must be string - type: string",
      "/spec/providesApis must be array - type: array",
    ]);
    expect(result.problems.map((p) => p.field)).toEqual(["spec.type", "spec.lifecycle", "spec.providesApis"]);
  });
  it("requires an API definition to be a string (placeholders are resolved before)", () => {
    const api = { apiVersion: "backstage.io/v1alpha1", kind: "API", metadata: { name: "a" }, spec: { type: "openapi", lifecycle: "p", owner: "o", definition: { $text: "./x" } } };
    expect(firstMessage(api)).toBe("/spec/definition must be string - type: string");
  });
  it("checks Location presence and Template steps", () => {
    const location = { apiVersion: "backstage.io/v1alpha1", kind: "Location", metadata: { name: "l" }, spec: { presence: "sometimes" } };
    expect(firstMessage(location)).toBe("/spec/presence must be equal to one of the allowed values - allowedValues: required,optional");
    const template = {
      apiVersion: "scaffolder.backstage.io/v1beta3",
      kind: "Template",
      metadata: { name: "t" },
      spec: { type: "service", steps: [{ id: "a" }], parameters: "nope" },
    };
    expect(validateEntity(template).problems.map((p) => p.message)).toEqual([
      "/spec/parameters must be object - type: object",
      "/spec/parameters must be array - type: array",
      "/spec/parameters must match exactly one schema in oneOf - passingSchemas: null",
      "/spec/steps/0 must have required property 'action' - missingProperty: action",
    ]);
  });
  it("accepts a minimal valid entity of every built-in kind", () => {
    const v1 = "backstage.io/v1alpha1";
    const specs: [string, string, Record<string, unknown>][] = [
      [v1, "Component", { type: "t", lifecycle: "l", owner: "o" }],
      [v1, "API", { type: "t", lifecycle: "l", owner: "o", definition: "d" }],
      [v1, "Resource", { type: "t", owner: "o" }],
      [v1, "System", { owner: "o" }],
      [v1, "Domain", { owner: "o" }],
      [v1, "Group", { type: "team", children: [] }],
      [v1, "User", { memberOf: [] }],
      [v1, "Location", {}],
      ["scaffolder.backstage.io/v1beta3", "Template", { type: "service", steps: [] }],
    ];
    for (const [apiVersion, kind, spec] of specs) {
      expect(validateEntity({ apiVersion, kind, metadata: { name: "x" }, spec }).problems, kind).toEqual([]);
    }
  });
  it("passes an unknown kind on the envelope alone", () => {
    expect(validateEntity({ apiVersion: "example.com/v1", kind: "FeatureFlag", metadata: { name: "x" }, spec: { anything: 1 } }).problems).toEqual([]);
  });
  it("passes a built-in kind with a foreign apiVersion on the envelope alone (deliberate: Backstage rejects it)", () => {
    const result = validateEntity({ apiVersion: "backstage.io/v2", kind: "Component", metadata: { name: "x" } });
    expect(result.problems).toEqual([]);
    expect(result.entity?.kind).toBe("Component");
  });
  it("matches kinds case-sensitively, like Backstage's validators", () => {
    expect(validateEntity({ apiVersion: "backstage.io/v1alpha1", kind: "component", metadata: { name: "x" } }).problems).toEqual([]);
  });
});

describe("validateEntity: size and robustness", () => {
  it("caps one entity's JSON at 1.5 MB and names the field that made it big", () => {
    const raw = component({ metadata: { description: "x".repeat(MAX_ENTITY_BYTES) } });
    const problems = validateEntity(raw).problems;
    expect(problems).toHaveLength(1);
    expect(problems[0].field).toBe("metadata.description");
    expect(problems[0].message).toMatch(/^Entity is too large: \d+ bytes of JSON, the limit is 1572864 bytes \(1\.5 MB\)$/);
  });
  it("does not mutate its input", () => {
    const raw = component();
    const copy = structuredClone(raw);
    validateEntity(raw);
    expect(raw).toEqual(copy);
  });
  it("reports cyclic input instead of throwing", () => {
    const raw: Record<string, unknown> = component();
    (raw.spec as Record<string, unknown>).self = raw;
    expect(firstMessage(raw)).toMatch(/^Entity is not serializable as JSON/);
  });
});
