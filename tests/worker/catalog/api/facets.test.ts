import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { component, getJson, ingest, yamlDocs } from "../../helpers";

/** Counts straight from the search rows: what the write-time counts must always equal. */
async function liveFacet(key: string, kind?: string) {
  const { results } = await env.DB.prepare(
    `SELECT original_value AS value, count(*) AS count FROM search WHERE key = ?1 ${kind ? "AND entity_id IN (SELECT entity_id FROM search WHERE key = 'kind' AND value = ?2)" : ""} GROUP BY original_value`,
  )
    .bind(key, ...(kind ? [kind] : []))
    .all<{ value: string; count: number }>();
  return results.sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}

describe("GET /entity-facets", () => {
  it("requires a facet parameter", async () => {
    const { status, body } = await getJson("/api/catalog/entity-facets");
    expect(status).toBe(400);
    expect(body.error.message).toBe("Missing facet parameter");
  });

  it("stays exact through adds, updates and removals, with and without a kind filter", async () => {
    await ingest("/f", { "/f/a.yaml": yamlDocs(component("f1", { type: "service" }, { tags: ["java", "web"] }), component("f2", { type: "website" }, { tags: ["web"] })) });
    await ingest("/f", { "/f/a.yaml": yamlDocs(component("f1", { type: "library" }, { tags: ["java"] }), component("f3", { type: "website" })) });
    for (const key of ["kind", "spec.type", "metadata.tags"]) {
      const all = await getJson(`/api/catalog/entity-facets?facet=${key}`);
      expect(all.body.facets[key]).toEqual(await liveFacet(key));
      const scoped = await getJson(`/api/catalog/entity-facets?facet=${key}&filter=kind%3Dcomponent`);
      expect(scoped.body.facets[key]).toEqual(await liveFacet(key, "component"));
    }
    const { body } = await getJson("/api/catalog/entity-facets?facet=spec.type&facet=metadata.tags");
    // The generated Location entity of /f counts too: its spec.type is "file".
    expect(body.facets["spec.type"]).toEqual([
      { value: "file", count: 1 },
      { value: "library", count: 1 },
      { value: "website", count: 1 },
    ]);
    expect(body.facets["metadata.tags"]).toEqual([{ value: "java", count: 1 }]);
  });

  it("counts any facet under any filter", async () => {
    await ingest("/g", { "/g/a.yaml": yamlDocs(component("g1", { lifecycle: "experimental" }), component("g2", { lifecycle: "experimental", type: "website" })) });
    const { body } = await getJson("/api/catalog/entity-facets?facet=spec.lifecycle&facet=metadata.name&filter=spec.type%3Dwebsite");
    expect(body.facets["spec.lifecycle"]).toContainEqual({ value: "experimental", count: 1 });
    expect(body.facets["metadata.name"]).toEqual(expect.arrayContaining([{ value: "g2", count: 1 }]));
  });
});

describe("GET /api/search", () => {
  it("finds entities by substring with highlighted, escaped matches", async () => {
    await ingest("/s", { "/s/a.yaml": component("checkout-service", {}, { title: "Checkout <Service>", description: "Takes payments & ships orders" }) });
    const { status, body } = await getJson("/api/search?q=checkout");
    expect(status).toBe(200);
    expect(body.items[0]).toMatchObject({ ref: "component:default/checkout-service", kind: "Component" });
    expect(body.items[0].highlights.title).toBe("<mark>Checkout</mark> &#60;Service&#62;");
    const desc = await getJson("/api/search?q=payments");
    expect(desc.body.items[0].highlights.description).toContain("<mark>payments</mark> &#38; ships");
  });

  it("falls back to a prefix match for short terms and needs a query", async () => {
    const { body } = await getJson("/api/search?q=ch");
    expect(body.items.map((i: { name: string }) => i.name)).toContain("checkout-service");
    expect((await getJson("/api/search")).status).toBe(400);
  });
});
