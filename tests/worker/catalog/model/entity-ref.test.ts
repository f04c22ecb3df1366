import { describe, expect, it } from "vitest";
import { DEFAULT_NAMESPACE, parseEntityRef, stringifyEntityRef } from "../../../../worker/catalog/entity-ref";
import { ModelError } from "../../../../worker/catalog/model-error";

describe("parseEntityRef (§A.7)", () => {
  const context = { defaultKind: "Group", defaultNamespace: "ns" };
  it.each([
    ["a", { kind: "Group", namespace: "ns", name: "a" }],
    ["b/a", { kind: "Group", namespace: "b", name: "a" }],
    ["c:a", { kind: "c", namespace: "ns", name: "a" }],
    ["c:b/a", { kind: "c", namespace: "b", name: "a" }],
    ["a/b:c", { kind: "Group", namespace: "a", name: "b:c" }],
    ["c:b/a/x", { kind: "c", namespace: "b", name: "a/x" }],
  ])("parses %s with defaults Group and ns", (ref, expected) => {
    expect(parseEntityRef(ref, context)).toEqual(expected);
  });

  it("keeps the case as written", () => {
    expect(parseEntityRef("Component:Default/Foo")).toEqual({ kind: "Component", namespace: "Default", name: "Foo" });
  });

  it("defaults the namespace to default without a context", () => {
    expect(parseEntityRef("component:x")).toEqual({ kind: "component", namespace: DEFAULT_NAMESPACE, name: "x" });
  });

  it("accepts compound refs", () => {
    expect(parseEntityRef({ name: "x" }, context)).toEqual({ kind: "Group", namespace: "ns", name: "x" });
    expect(parseEntityRef({ kind: "User", namespace: "n", name: "x" }, context)).toEqual({ kind: "User", namespace: "n", name: "x" });
  });

  it.each(["c:", ":a", "c:/a", "c:b/", "b/"])("rejects the empty part in %s", (ref) => {
    expect(() => parseEntityRef(ref, context)).toThrow(`Entity reference "${ref}" was not on the form [<kind>:][<namespace>/]<name>`);
  });

  it("rejects a missing kind without a default kind", () => {
    let error: unknown;
    try {
      parseEntityRef("foo");
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ModelError);
    expect(error).toMatchObject({
      name: "InputError",
      message: 'Entity reference "foo" had missing or empty kind (e.g. did not start with "component:" or similar)',
    });
  });

  it("rejects empty refs and empty compound names", () => {
    expect(() => parseEntityRef("")).toThrow("Entity reference must not be empty");
    expect(() => parseEntityRef({ kind: "k", name: "" })).toThrow('Entity reference {"kind":"k","name":""} had missing or empty name');
  });
});

describe("stringifyEntityRef", () => {
  it("lower-cases every part and fills the default namespace", () => {
    expect(stringifyEntityRef({ kind: "Component", namespace: "Default", name: "Foo" })).toBe("component:default/foo");
    expect(stringifyEntityRef({ kind: "API", name: "Petstore" } as never)).toBe("api:default/petstore");
  });
  it("works on entities", () => {
    const entity = { apiVersion: "v1", kind: "Group", metadata: { name: "Team-A", namespace: "Org" } };
    expect(stringifyEntityRef(entity)).toBe("group:org/team-a");
    expect(stringifyEntityRef({ ...entity, metadata: { name: "X" } })).toBe("group:default/x");
  });
  it("makes Component:default/Foo and component:default/foo the same entity", () => {
    expect(stringifyEntityRef(parseEntityRef("Component:default/Foo"))).toBe(stringifyEntityRef(parseEntityRef("component:default/foo")));
  });
});
