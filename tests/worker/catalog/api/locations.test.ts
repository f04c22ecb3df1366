import { describe, expect, it } from "vitest";
import { api, component, getJson, ingest, postJson } from "../../helpers";

describe("locations", () => {
  it("registers a url location (201), rejects duplicates (409) and other types (400)", async () => {
    const target = "https://example.invalid/acme/catalog-info.yaml";
    const created = await postJson("/api/catalog/locations", { type: "url", target });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ location: { type: "url", target, id: expect.any(String), entityRef: expect.stringMatching(/^location:default\/generated-[0-9a-f]{40}$/) }, entities: [] });
    const dup = await postJson("/api/catalog/locations", { type: "url", target });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ name: "ConflictError", message: `Location url:${target} already exists` });
    const refresh = await postJson("/api/catalog/locations?onConflict=refresh", { type: "url", target });
    expect(refresh.status).toBe(201);
    expect(refresh.body.exists).toBe(true);
    const bad = await postJson("/api/catalog/locations", { type: "file", target: "/etc/passwd" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe('Registered locations must be of an allowed type ["url"]');
    expect((await postJson("/api/catalog/locations", { type: "url", target, extra: 1 })).status).toBe(400);

    const list = await getJson("/api/catalog/locations");
    expect(list.body).toContainEqual({ data: created.body.location });
    const one = await getJson(`/api/catalog/locations/${created.body.location.id}`);
    expect(one.body).toEqual(created.body.location);
    const entity = await getJson(`/api/catalog/entities/by-name/${created.body.location.entityRef.replace(":", "/").replace("/default/", "/default/")}`);
    expect(entity.body.spec).toEqual({ type: "url", target });
  });

  it("answers 404 for unknown location ids", async () => {
    const { status, body } = await getJson("/api/catalog/locations/nope");
    expect(status).toBe(404);
    expect(body.error.message).toBe("Found no location with ID nope");
  });

  it("finds the location an entity came from, and deleting it removes the whole subtree", async () => {
    const ingested = await ingest("/tree", { "/tree/a.yaml": component("tree-a"), "/tree/b.yaml": component("tree-b") });
    const byEntity = await getJson("/api/catalog/locations/by-entity/component/default/tree-a");
    expect(byEntity.body).toEqual(ingested.location);
    const del = await api(`/api/catalog/locations/${ingested.location.id}`, { method: "DELETE", headers: { authorization: "Bearer test-admin-token" } });
    expect(del.status).toBe(204);
    expect((await getJson("/api/catalog/entities/by-name/component/default/tree-a")).status).toBe(404);
    expect((await getJson("/api/catalog/entities/by-name/component/default/tree-b")).status).toBe(404);
    expect((await getJson(`/api/catalog/entities/by-name/${ingested.location.entityRef.replace(":", "/")}`)).status).toBe(404);
  });

  it("refreshes known entities (200) and answers 404 for unknown ones", async () => {
    await ingest("/refresh", { "/refresh/a.yaml": component("fresh") });
    expect((await postJson("/api/catalog/refresh", { entityRef: "component:default/fresh" })).status).toBe(200);
    const missing = await postJson("/api/catalog/refresh", { entityRef: "component:default/stale" });
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe("Entity component:default/stale not found");
  });
});

describe("POST /validate-entity", () => {
  const location = "url:https://github.com/acme/x/blob/main/catalog-info.yaml";
  it("accepts a valid entity with an empty 200", async () => {
    const res = await api("/api/catalog/validate-entity", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ entity: JSON.parse(component("valid-one")), location }),
    });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("");
  });

  it("answers 400 with errors naming the problem", async () => {
    const entity = { apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "x" }, spec: {} };
    const { status, body } = await postJson("/api/catalog/validate-entity", { entity, location });
    expect(status).toBe(400);
    expect(body.errors[0].message).toContain("type");
    const badLocation = await postJson("/api/catalog/validate-entity", { entity, location: "file:/x" });
    expect(badLocation.body.errors[0]).toEqual({
      name: "TypeError",
      message: "Invalid location ref file:/x, only 'url:<target>' is supported, e.g. url:https://host/path",
    });
  });
});
