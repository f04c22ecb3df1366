/** The API explorer's model: rows from catalog entities, filters, facet counts and the URL round trip. */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { apiRowOf, entityPath, facetCounts, filterApis, filterFromSearch, filterToSearch, ownerLabel, shortRef, type ApiRow } from "../../plugins/api-docs/lib/explorer";

const api = (name: string, spec: Record<string, unknown>, relations: { type: string; targetRef: string }[] = [], metadata: Record<string, unknown> = {}) => ({ apiVersion: "backstage.io/v1alpha1", kind: "API", metadata: { name, ...metadata }, spec, relations });

const entities = [
  api("payments-api", { type: "openapi", owner: "team-payments", lifecycle: "production", system: "checkout" }, [
    { type: "apiProvidedBy", targetRef: "component:default/payments-service" },
    { type: "apiConsumedBy", targetRef: "component:default/checkout-web" },
    { type: "apiConsumedBy", targetRef: "component:default/admin-console" },
    { type: "ownedBy", targetRef: "group:default/team-payments" },
  ], { title: "Payments API", description: "Create and refund payments", tags: ["rest", "pci"] }),
  api("order-events", { type: "asyncapi", owner: "group:default/team-payments", lifecycle: "production" }, [{ type: "apiProvidedBy", targetRef: "component:default/order-service" }]),
  api("catalog-graphql", { type: "graphql", owner: "team-catalog", lifecycle: "experimental" }, [], { namespace: "shop" }),
  api("fraud-grpc", { type: "grpc", owner: "team-payments", lifecycle: "experimental" }),
  { kind: "API", metadata: {}, spec: {} },
];

describe("apiRowOf", () => {
  const rows = entities.map(apiRowOf);
  it("reads type, owner, lifecycle, providers and consumers from relations", () => {
    expect(rows[0]).toEqual({
      ref: "api:default/payments-api",
      kind: "API",
      namespace: "default",
      name: "payments-api",
      title: "Payments API",
      description: "Create and refund payments",
      type: "openapi",
      owner: "team-payments",
      lifecycle: "production",
      system: "checkout",
      tags: ["rest", "pci"],
      providers: ["component:default/payments-service"],
      consumers: ["component:default/admin-console", "component:default/checkout-web"],
    });
    expect(rows[2]!.ref).toBe("api:shop/catalog-graphql");
    expect(rows[4]).toBeUndefined();
  });

  it("shortens refs and builds entity routes", () => {
    expect(shortRef("component:default/payments-service", "component")).toBe("payments-service");
    expect(shortRef("system:default/checkout", "component")).toBe("system:checkout");
    expect(shortRef("component:other/x", "component")).toBe("other/x");
    expect(ownerLabel("group:default/team-payments")).toBe("team-payments");
    expect(ownerLabel("team-payments")).toBe("team-payments");
    expect(entityPath("component:default/payments-service")).toBe("/catalog/default/component/payments-service");
    expect(entityPath("api:shop/x y")).toBe("/catalog/shop/api/x%20y");
  });
});

describe("filters", () => {
  const rows = entities.map(apiRowOf).filter((r): r is ApiRow => Boolean(r));
  const names = (f: Parameters<typeof filterApis>[1]) => filterApis(rows, f).map((r) => r.name);

  it("filters by type, owner (either spelling), lifecycle and words in any field, sorted by title", () => {
    expect(names({})).toEqual(["catalog-graphql", "fraud-grpc", "order-events", "payments-api"]);
    expect(names({ type: "OpenAPI" })).toEqual(["payments-api"]);
    expect(names({ owner: "team-payments" })).toEqual(["fraud-grpc", "order-events", "payments-api"]);
    expect(names({ lifecycle: "experimental", owner: "team-payments" })).toEqual(["fraud-grpc"]);
    expect(names({ text: "checkout-web" })).toEqual(["payments-api"]);
    expect(names({ text: "refund PCI" })).toEqual(["payments-api"]);
    expect(names({ text: "nothing-like-this" })).toEqual([]);
  });

  it("counts facet values among rows matching the other filters", () => {
    const f = facetCounts(rows, { owner: "team-payments" });
    expect(f.type).toEqual([
      { value: "asyncapi", count: 1 },
      { value: "grpc", count: 1 },
      { value: "openapi", count: 1 },
    ]);
    expect(f.owner).toEqual([
      { value: "team-payments", count: 3 },
      { value: "team-catalog", count: 1 },
    ]);
    expect(f.lifecycle).toEqual([
      { value: "experimental", count: 1 },
      { value: "production", count: 2 },
    ].sort((a, b) => b.count - a.count));
  });

  it("round-trips through the URL query", () => {
    expect(filterToSearch({ type: "openapi", text: "pay ments" })).toBe("?type=openapi&q=pay+ments");
    expect(filterFromSearch("?type=openapi&q=pay+ments&junk=1")).toEqual({ type: "openapi", text: "pay ments" });
    expect(filterToSearch({})).toBe("");
    fc.assert(
      fc.property(fc.record({ type: fc.string({ minLength: 1, maxLength: 30 }), owner: fc.string({ minLength: 1, maxLength: 30 }), lifecycle: fc.string({ minLength: 1, maxLength: 30 }), text: fc.string({ minLength: 1, maxLength: 30 }) }, { requiredKeys: [] }), (f) => {
        expect(filterFromSearch(filterToSearch(f))).toEqual(f);
      }),
    );
  });
});
