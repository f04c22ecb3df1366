/** The unmodified @backstage/catalog-client against our API: every method that maps to an endpoint we serve. */
import { beforeAll, describe, expect, it } from "vitest";
import { SELF } from "cloudflare:test";
import { CatalogClient, CATALOG_FILTER_EXISTS } from "@backstage/catalog-client";
import { BASE, component, ingest, withDefaultCredential, yamlDocs } from "../../helpers";

const client = new CatalogClient({
  discoveryApi: { getBaseUrl: async () => `${BASE}/api/catalog` },
  fetchApi: { fetch: async (input: any, init?: any) => SELF.fetch(input, await withDefaultCredential(init)) },
});
const token = { token: "test-admin-token" };

const GROUP = { apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: "cc-team", annotations: { "github.com/team-slug": "acme/cc" } }, spec: { type: "team", children: [] } };

beforeAll(async () => {
  await ingest("/cc", {
    "/cc/a.yaml": yamlDocs(component("cc-web", { type: "website", owner: "cc-team" }), component("cc-api", { type: "service", owner: "cc-team" }), component("cc-lib", { type: "library", owner: "cc-team" }), JSON.stringify(GROUP)),
  });
});

describe("@backstage/catalog-client", () => {
  it("getEntities with repeated filters, exists, fields, order and paging", async () => {
    const { items } = await client.getEntities({
      filter: [{ kind: "Component", "spec.type": ["service", "website"] }, { kind: "Group", "metadata.annotations.github.com/team-slug": CATALOG_FILTER_EXISTS }],
      fields: ["kind", "metadata.name"],
      order: [{ field: "metadata.name", order: "asc" }],
      limit: 10,
      offset: 0,
    });
    expect(items).toEqual([
      { kind: "Component", metadata: { name: "cc-api" } },
      { kind: "Group", metadata: { name: "cc-team" } },
      { kind: "Component", metadata: { name: "cc-web" } },
    ]);
  });

  it("queryEntities with full text, ordering and cursor", async () => {
    const first = await client.queryEntities({
      filter: { kind: "component" },
      orderFields: { field: "metadata.name", order: "desc" },
      fullTextFilter: { term: " CC- ", fields: ["metadata.name", "metadata.title"] },
      limit: 2,
      fields: ["metadata.name"],
    });
    expect(first.items.map((e) => e.metadata.name)).toEqual(["cc-web", "cc-lib"]);
    expect(first.totalItems).toBe(3);
    const second = await client.queryEntities({ cursor: first.pageInfo.nextCursor!, limit: 2 });
    expect(second.items.map((e) => e.metadata.name)).toEqual(["cc-api"]);
    expect(second.pageInfo.nextCursor).toBeUndefined();
  });

  it("getEntitiesByRefs keeps order and maps misses to undefined", async () => {
    const { items } = await client.getEntitiesByRefs({ entityRefs: ["component:default/cc-lib", "component:default/none", "group:default/cc-team"], fields: ["metadata.name"] });
    expect(items).toEqual([{ metadata: { name: "cc-lib" } }, undefined, { metadata: { name: "cc-team" } }]);
  });

  it("getEntityByRef, getEntityAncestors and getEntityFacets", async () => {
    const entity = await client.getEntityByRef("Component:default/CC-WEB");
    expect(entity?.metadata.name).toBe("cc-web");
    expect(entity?.relations).toContainEqual({ type: "ownedBy", targetRef: "group:default/cc-team" });
    expect(await client.getEntityByRef("component:default/absent")).toBeUndefined();
    const ancestry = await client.getEntityAncestors({ entityRef: "component:default/cc-web" });
    expect(ancestry.rootEntityRef).toBe("component:default/cc-web");
    expect(ancestry.items.length).toBeGreaterThanOrEqual(2);
    const { facets } = await client.getEntityFacets({ facets: ["spec.type"], filter: { kind: "component", "spec.owner": "cc-team" } });
    expect(facets["spec.type"]).toEqual(expect.arrayContaining([{ value: "website", count: 1 }, { value: "service", count: 1 }, { value: "library", count: 1 }]));
  });

  it("locations: add, get by id / ref / entity, query, remove", async () => {
    const target = "https://example.invalid/cc/catalog-info.yaml";
    const added = await client.addLocation({ type: "url", target }, token);
    expect(added.location).toMatchObject({ type: "url", target });
    expect(await client.getLocationById(added.location.id)).toEqual(added.location);
    expect(await client.getLocationById("missing")).toBeUndefined();
    expect(await client.getLocationByRef(`url:${target}`)).toEqual(added.location);
    const { items } = await client.getLocations();
    expect(items).toContainEqual(added.location);
    const queried = await client.queryLocations({ limit: 100 });
    expect(queried.items).toContainEqual(added.location);
    const origin = await client.getLocationByEntity("component:default/cc-web");
    expect(origin?.type).toBe("file");
    await client.removeLocationById(added.location.id, token);
    expect(await client.getLocationById(added.location.id)).toBeUndefined();
  });

  it("refreshEntity, validateEntity and removeEntityByUid", async () => {
    await client.refreshEntity("component:default/cc-lib", token);
    const valid = await client.validateEntity(JSON.parse(component("ok-entity")), "url:https://github.com/a/b/blob/main/catalog-info.yaml");
    expect(valid).toEqual({ valid: true });
    const invalid = await client.validateEntity({ apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "-bad-" } } as any, "url:https://github.com/a/b/blob/main/x.yaml");
    expect(invalid.valid).toBe(false);
    const lib = await client.getEntityByRef("component:default/cc-lib");
    await client.removeEntityByUid(lib!.metadata.uid!, token);
    expect(await client.getEntityByRef("component:default/cc-lib")).toBeUndefined();
  });

  it("surfaces our errors as Backstage ResponseErrors", async () => {
    await expect(client.getEntityAncestors({ entityRef: "component:default/absent" })).rejects.toMatchObject({
      name: "ResponseError",
      body: { error: { name: "NotFoundError" }, response: { statusCode: 404 } },
    });
  });
});
