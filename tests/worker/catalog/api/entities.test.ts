import { describe, expect, it, beforeAll } from "vitest";
import { env } from "cloudflare:test";
import { api, component, getJson, ingest, postJson, yamlDocs } from "../../helpers";
import { STREAM_CHUNK_ROWS } from "../../../../worker/catalog/routes/entities";

const ORG = `
apiVersion: backstage.io/v1alpha1
kind: Group
metadata:
  name: Team-A
  description: The A team
spec:
  type: team
  children: []
---
apiVersion: backstage.io/v1alpha1
kind: User
metadata:
  name: jdoe
spec:
  memberOf: [team-a]
`;

const SERVICES = `
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: Petstore
  title: Pet Store
  tags: [java, web]
  annotations:
    backstage.io/techdocs-ref: dir:.
  labels:
    tier: gold
spec:
  type: service
  lifecycle: production
  owner: team-a
  system: pets
  providesApis: [petstore-api]
  dependsOn: [resource:pets-db]
---
apiVersion: backstage.io/v1alpha1
kind: API
metadata:
  name: petstore-api
spec:
  type: openapi
  lifecycle: production
  owner: group:default/team-a
  definition: "openapi: 3.0.0"
`;

beforeAll(async () => {
  await ingest("/repo", { "/repo/org.yaml": ORG, "/repo/services.yaml": SERVICES });
});

describe("GET /entities/by-name", () => {
  it("finds an entity case-insensitively and keeps its original casing", async () => {
    const { status, body } = await getJson("/api/catalog/entities/by-name/COMPONENT/Default/petstore");
    expect(status).toBe(200);
    expect(body.metadata.name).toBe("Petstore");
    expect(body.metadata.namespace).toBe("default");
    expect(body.metadata.uid).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.metadata.etag).toMatch(/^[0-9a-f]{40}$/);
    expect(body.metadata.annotations["backstage.io/managed-by-location"]).toBe("file:/repo/services.yaml");
    expect(body.metadata.annotations["backstage.io/managed-by-origin-location"]).toBe("file:/repo");
  });

  it("lists relations from both ends of each pair", async () => {
    const component = (await getJson("/api/catalog/entities/by-name/component/default/petstore")).body;
    expect(component.relations).toEqual([
      { type: "dependsOn", targetRef: "resource:default/pets-db" },
      { type: "ownedBy", targetRef: "group:default/team-a" },
      { type: "partOf", targetRef: "system:default/pets" },
      { type: "providesApi", targetRef: "api:default/petstore-api" },
    ]);
    const group = (await getJson("/api/catalog/entities/by-name/group/default/team-a")).body;
    expect(group.relations).toEqual([
      { type: "hasMember", targetRef: "user:default/jdoe" },
      { type: "ownerOf", targetRef: "api:default/petstore-api" },
      { type: "ownerOf", targetRef: "component:default/petstore" },
    ]);
    const apiEntity = (await getJson("/api/catalog/entities/by-name/api/default/petstore-api")).body;
    expect(apiEntity.relations).toContainEqual({ type: "apiProvidedBy", targetRef: "component:default/petstore" });
  });

  it("answers 404 in Backstage's error shape", async () => {
    const { status, body } = await getJson("/api/catalog/entities/by-name/component/default/nope");
    expect(status).toBe(404);
    expect(body).toMatchObject({
      error: { name: "NotFoundError", message: "No entity named 'nope' found, with kind 'component' in namespace 'default'" },
      request: { method: "GET", url: "/api/catalog/entities/by-name/component/default/nope" },
      response: { statusCode: 404 },
    });
  });

  it("projects fields, including dotted annotation keys", async () => {
    const { body } = await getJson("/api/catalog/entities/by-name/component/default/petstore?fields=kind,metadata.annotations.backstage.io/techdocs-ref");
    expect(body).toEqual({ kind: "Component", metadata: { annotations: { "backstage.io/techdocs-ref": "dir:." } } });
  });

  it("rejects array field syntax", async () => {
    const { status, body } = await getJson("/api/catalog/entities/by-name/component/default/petstore?fields=spec.providesApis[0]");
    expect(status).toBe(400);
    expect(body.error.message).toBe('Invalid field "spec.providesApis[0]", array type fields are not supported');
  });
});

describe("by-uid, by-refs, ancestry", () => {
  it("reads by uid and answers 404 for unknown uids", async () => {
    const { body: entity } = await getJson("/api/catalog/entities/by-name/user/default/jdoe");
    const { status, body } = await getJson(`/api/catalog/entities/by-uid/${entity.metadata.uid}`);
    expect(status).toBe(200);
    expect(body.metadata.name).toBe("jdoe");
    const missing = await getJson("/api/catalog/entities/by-uid/not-a-uid");
    expect(missing.status).toBe(404);
    expect(missing.body.error.message).toBe("No entity with uid not-a-uid");
  });

  it("returns by-refs items in request order with null for misses", async () => {
    const { status, body } = await postJson("/api/catalog/entities/by-refs", {
      entityRefs: ["user:default/jdoe", "component:default/missing", "Component:default/PETSTORE"],
      fields: ["metadata.name"],
    });
    expect(status).toBe(200);
    expect(body).toEqual({ items: [{ metadata: { name: "jdoe" } }, null, { metadata: { name: "Petstore" } }] });
  });

  it("applies a filter to by-refs", async () => {
    const { body } = await postJson("/api/catalog/entities/by-refs?filter=kind%3Duser", {
      entityRefs: ["user:default/jdoe", "component:default/petstore"],
      fields: ["kind"],
    });
    expect(body.items).toEqual([{ kind: "User" }, null]);
  });

  it("walks the ancestry up to the registered location", async () => {
    const { status, body } = await getJson("/api/catalog/entities/by-name/component/default/petstore/ancestry");
    expect(status).toBe(200);
    expect(body.rootEntityRef).toBe("component:default/petstore");
    expect(body.items).toHaveLength(2);
    expect(body.items[0].entity.metadata.name).toBe("Petstore");
    expect(body.items[0].parentEntityRefs[0]).toMatch(/^location:default\/generated-[0-9a-f]{40}$/);
    expect(body.items[1].entity.kind).toBe("Location");
    expect(body.items[1].parentEntityRefs).toEqual([]);
  });
});

describe("GET /entities", () => {
  it("returns a bare array, ordered and paged with a Link header", async () => {
    const first = await getJson("/api/catalog/entities?filter=kind%3Dcomponent%2Ckind%3Dapi%2Ckind%3Duser&order=asc%3Ametadata.name&limit=2&fields=metadata.name");
    expect(first.status).toBe(200);
    expect(first.body).toEqual([{ metadata: { name: "jdoe" } }, { metadata: { name: "Petstore" } }]);
    const link = first.headers.get("link");
    expect(link).toMatch(/rel="next"/);
    const next = link!.match(/<([^>]+)>/)![1];
    const second = await getJson(`/api/catalog${next}`);
    expect(second.body).toEqual([{ metadata: { name: "petstore-api" } }]);
  });

  it("streams the whole catalog in chunks when no limit is given, in the same order as one query", async () => {
    const names = Array.from({ length: STREAM_CHUNK_ROWS * 2 + 37 }, (_, i) => `bulk-${String(i).padStart(4, "0")}`);
    const files = Object.fromEntries(
      Array.from({ length: Math.ceil(names.length / 50) }, (_, f) => [`/bulk/f${f}.yaml`, yamlDocs(...names.slice(f * 50, f * 50 + 50).map((n) => component(n)))]),
    );
    await ingest("/bulk", files);
    const all = await getJson<any[]>("/api/catalog/entities?fields=metadata.name,kind");
    const refs = all.body.map((e) => `${e.kind}:default/${e.metadata.name}`.toLowerCase());
    expect(refs).toEqual([...refs].sort());
    expect(new Set(refs).size).toBe(refs.length);
    expect(all.body.filter((e) => e.metadata.name.startsWith("bulk-")).map((e) => e.metadata.name)).toEqual(names);

    const ordered = await getJson<any[]>("/api/catalog/entities?filter=kind%3Dcomponent&order=desc%3Ametadata.name&fields=metadata.name");
    const { results } = await env.DB.prepare("SELECT name FROM entities WHERE kind = 'Component' ORDER BY lower(name) DESC, id").all<{ name: string }>();
    expect(ordered.body.map((e) => e.metadata.name)).toEqual(results.map((r) => r.name));
    expect(ordered.body.length).toBeGreaterThan(STREAM_CHUNK_ROWS * 2);
  });

  it("rejects bad paging parameters with Backstage's messages", async () => {
    expect((await getJson("/api/catalog/entities?limit=0")).body.error.message).toBe("Invalid limit, must be greater than zero");
    expect((await getJson("/api/catalog/entities?offset=-1")).body.error.message).toBe("Invalid offset, must be zero or greater");
    expect((await getJson("/api/catalog/entities?order=sideways")).body.error.message).toBe('Invalid order parameter "sideways", expected "<asc or desc>:<field name>"');
  });
});

describe("DELETE /entities/by-uid", () => {
  it("deletes one entity with its relations and answers 204 for unknown uids", async () => {
    await ingest("/del", { "/del/a.yaml": JSON.stringify({ apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "doomed" }, spec: { type: "service", lifecycle: "x", owner: "team-a" } }) });
    const { body } = await getJson("/api/catalog/entities/by-name/component/default/doomed");
    const unauth = await api(`/api/catalog/entities/by-uid/${body.metadata.uid}`, { method: "DELETE" }, "anonymous");
    expect(unauth.status).toBe(401);
    const res = await api(`/api/catalog/entities/by-uid/${body.metadata.uid}`, { method: "DELETE", headers: { authorization: "Bearer test-admin-token" } });
    expect(res.status).toBe(204);
    expect((await getJson("/api/catalog/entities/by-name/component/default/doomed")).status).toBe(404);
    const group = (await getJson("/api/catalog/entities/by-name/group/default/team-a")).body;
    expect(group.relations).not.toContainEqual({ type: "ownerOf", targetRef: "component:default/doomed" });
    const again = await api("/api/catalog/entities/by-uid/unknown", { method: "DELETE", headers: { authorization: "Bearer test-admin-token" } });
    expect(again.status).toBe(204);
  });
});
