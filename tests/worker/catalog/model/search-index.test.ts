import { describe, expect, it } from "vitest";
import { buildSearchRows } from "../../../../worker/catalog/search-index";
import type { Entity } from "../../../../worker/catalog/types";

function rowsOf(entity: Entity) {
  return buildSearchRows(entity).map((r) => [r.key, r.value, r.originalValue]);
}

describe("buildSearchRows (§D.2)", () => {
  const entity: Entity = {
    apiVersion: "backstage.io/v1alpha1",
    kind: "Component",
    metadata: {
      name: "Petstore",
      namespace: "default",
      uid: "u-1",
      etag: "e-1",
      tags: ["Java", "data", "java"],
      annotations: { "backstage.io/techdocs-ref": "dir:." },
    },
    spec: { type: "service", owner: "team-a", replicas: 3, public: false, nothing: null, ports: [{ port: 80 }, { port: 443 }] },
    relations: [{ type: "ownedBy", targetRef: "group:default/team-a" }],
    status: { items: [] },
  };

  it("flattens to lower-cased dotted paths, with string array items also as <path>.<item>=true", () => {
    expect(rowsOf(entity)).toEqual([
      ["apiversion", "backstage.io/v1alpha1", "backstage.io/v1alpha1"],
      ["kind", "component", "Component"],
      ["metadata.tags", "java", "Java"],
      ["metadata.tags.java", "true", "true"],
      ["metadata.tags", "data", "data"],
      ["metadata.tags.data", "true", "true"],
      ["metadata.annotations.backstage.io/techdocs-ref", "dir:.", "dir:."],
      ["spec.type", "service", "service"],
      ["spec.owner", "team-a", "team-a"],
      ["spec.replicas", "3", "3"],
      ["spec.public", "false", "false"],
      ["spec.nothing", null, null],
      ["spec.ports.port", "80", "80"],
      ["spec.ports.port", "443", "443"],
      ["metadata.name", "petstore", "Petstore"],
      ["metadata.namespace", "default", "default"],
      ["metadata.uid", "u-1", "u-1"],
    ]);
  });

  it("skips relations, status, attachments and etag", () => {
    const keys = buildSearchRows({ ...entity, attachments: { x: 1 } } as Entity).map((r) => r.key);
    expect(keys.some((k) => k.startsWith("relations") || k.startsWith("status") || k.startsWith("attachments"))).toBe(false);
    expect(keys).not.toContain("metadata.etag");
  });

  it("always has name, namespace (default when missing) and uid (null when missing)", () => {
    const rows = rowsOf({ apiVersion: "v1", kind: "X", metadata: { name: "a" } });
    expect(rows).toEqual([
      ["apiversion", "v1", "v1"],
      ["kind", "x", "X"],
      ["metadata.name", "a", "a"],
      ["metadata.namespace", null, null],
      ["metadata.uid", null, null],
      ["metadata.namespace", "default", "default"],
    ]);
  });

  it("stores values over 200 characters as null and skips keys over 200 characters", () => {
    const rows = buildSearchRows({
      apiVersion: "v1",
      kind: "X",
      metadata: { name: "a", description: "d".repeat(201), short: "d".repeat(200), ["k".repeat(200)]: "v" },
    });
    expect(rows.find((r) => r.key === "metadata.description")).toEqual({ key: "metadata.description", value: null, originalValue: null });
    expect(rows.find((r) => r.key === "metadata.short")?.value).toBe("d".repeat(200));
    expect(rows.some((r) => r.key.startsWith("metadata.kkk"))).toBe(false);
  });

  it("rejects keys that differ only in case", () => {
    expect(() => buildSearchRows({ apiVersion: "v1", kind: "X", metadata: { name: "a" }, spec: { foo: 1, Foo: 2 } })).toThrowError(
      expect.objectContaining({ name: "InputError", message: "Entity has duplicate keys that vary only in casing, 'spec.foo'" }),
    );
  });
});
