import { describe, expect, it } from "vitest";
import { buildRelations } from "../../../../worker/catalog/relations";
import type { Entity } from "../../../../worker/catalog/types";

const V1 = "backstage.io/v1alpha1";

function entity(kind: string, spec: Record<string, unknown>, namespace = "default", name = "me", apiVersion = V1): Entity {
  return { apiVersion, kind, metadata: { name, namespace }, spec };
}

/** Relations rendered `source type target` for compact expectations. */
function rows(e: Entity): string[] {
  return buildRelations(e).map((r) => `${r.sourceRef} ${r.type} ${r.targetRef}`);
}

describe("buildRelations (§B)", () => {
  it("emits both halves for every Component field with its default kind", () => {
    const component = entity("Component", {
      type: "service",
      lifecycle: "production",
      owner: "team-a",
      subcomponentOf: "parent-app",
      providesApis: ["api-a"],
      consumesApis: ["api-b"],
      dependsOn: ["resource:db"],
      dependencyOf: ["component:frontend"],
      system: "sys",
    });
    expect(rows(component).sort()).toEqual(
      [
        "component:default/me ownedBy group:default/team-a",
        "group:default/team-a ownerOf component:default/me",
        "component:default/me partOf component:default/parent-app",
        "component:default/parent-app hasPart component:default/me",
        "component:default/me providesApi api:default/api-a",
        "api:default/api-a apiProvidedBy component:default/me",
        "component:default/me consumesApi api:default/api-b",
        "api:default/api-b apiConsumedBy component:default/me",
        "component:default/me dependsOn resource:default/db",
        "resource:default/db dependencyOf component:default/me",
        "component:default/me dependencyOf component:default/frontend",
        "component:default/frontend dependsOn component:default/me",
        "component:default/me partOf system:default/sys",
        "system:default/sys hasPart component:default/me",
      ].sort(),
    );
  });

  it("defaults short refs to the entity's own namespace, not default", () => {
    expect(rows(entity("API", { type: "openapi", lifecycle: "p", owner: "team-a", system: "other/sys", definition: "x" }, "music"))).toEqual([
      "api:music/me ownedBy group:music/team-a",
      "api:music/me partOf system:other/sys",
      "group:music/team-a ownerOf api:music/me",
      "system:other/sys hasPart api:music/me",
    ]);
  });

  it("lower-cases refs and keeps explicit kinds (owner: user:jdoe)", () => {
    expect(rows(entity("System", { owner: "User:JDoe", domain: "Media" }, "default", "Audio"))).toEqual([
      "domain:default/media hasPart system:default/audio",
      "system:default/audio ownedBy user:default/jdoe",
      "system:default/audio partOf domain:default/media",
      "user:default/jdoe ownerOf system:default/audio",
    ]);
  });

  it("emits Resource, Domain, Group, User and Template relations", () => {
    expect(rows(entity("Resource", { type: "db", owner: "o", dependsOn: ["component:c"], dependencyOf: ["component:d"], system: "s" }))).toContain(
      "component:default/d dependsOn resource:default/me",
    );
    expect(rows(entity("Domain", { owner: "o", subdomainOf: "top" }))).toEqual([
      "domain:default/me ownedBy group:default/o",
      "domain:default/me partOf domain:default/top",
      "domain:default/top hasPart domain:default/me",
      "group:default/o ownerOf domain:default/me",
    ]);
    expect(rows(entity("Group", { type: "team", parent: "eng", children: ["sub"], members: ["jdoe"] }, "org"))).toEqual([
      "group:org/eng parentOf group:org/me",
      "group:org/me childOf group:org/eng",
      "group:org/me hasMember user:org/jdoe",
      "group:org/me parentOf group:org/sub",
      "group:org/sub childOf group:org/me",
      "user:org/jdoe memberOf group:org/me",
    ]);
    expect(rows(entity("User", { memberOf: ["team-a"] }))).toEqual([
      "group:default/team-a hasMember user:default/me",
      "user:default/me memberOf group:default/team-a",
    ]);
    expect(rows(entity("Template", { type: "service", owner: "team-a", steps: [] }, "default", "tpl", "scaffolder.backstage.io/v1beta3"))).toEqual([
      "group:default/team-a ownerOf template:default/tpl",
      "template:default/tpl ownedBy group:default/team-a",
    ]);
  });

  it("emits nothing for Locations, unknown kinds and foreign apiVersions", () => {
    expect(buildRelations(entity("Location", { target: "./x.yaml" }))).toEqual([]);
    expect(buildRelations(entity("FeatureFlag", { owner: "team-a" }))).toEqual([]);
    expect(buildRelations(entity("Component", { owner: "team-a" }, "default", "me", "backstage.io/v2"))).toEqual([]);
  });

  it("throws an InputError naming the field for dependsOn without a kind", () => {
    expect(() => buildRelations(entity("Component", { type: "s", lifecycle: "l", owner: "o", dependsOn: ["ok:a", "db"] }))).toThrowError(
      expect.objectContaining({
        name: "InputError",
        field: "spec.dependsOn.1",
        message: expect.stringContaining('Entity reference "db" had missing or empty kind'),
      }),
    );
    expect(() => buildRelations(entity("Resource", { type: "s", owner: "o", dependencyOf: "db" }))).toThrowError(
      expect.objectContaining({ field: "spec.dependencyOf" }),
    );
  });

  it("de-duplicates and sorts by (sourceRef, type, targetRef)", () => {
    const relations = buildRelations(entity("Component", { type: "s", lifecycle: "l", owner: "o", providesApis: ["b", "a", "B", "a"] }));
    expect(relations).toEqual([...relations].sort((x, y) => `${x.sourceRef} ${x.type} ${x.targetRef}`.localeCompare(`${y.sourceRef} ${y.type} ${y.targetRef}`)));
    expect(relations.filter((r) => r.type === "providesApi").map((r) => r.targetRef)).toEqual(["api:default/a", "api:default/b"]);
  });
});
