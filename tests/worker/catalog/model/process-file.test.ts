import { describe, expect, it } from "vitest";
import { processFile } from "../../../../worker/catalog/process-file";
import type { FileReader, LocationSpec } from "../../../../worker/catalog/types";
import multiDoc from "../../../fixtures/catalog/multi-doc.yaml";
import mixedValidity from "../../../fixtures/catalog/mixed-validity.yaml";
import brokenYaml from "../../../fixtures/catalog/broken-yaml.yaml";
import org from "../../../fixtures/catalog/org.yaml";
import apiWithPlaceholder from "../../../fixtures/catalog/api-with-placeholder.yaml";
import componentMinimal from "../../../fixtures/catalog/component-minimal.yaml";

const FILE: LocationSpec = { type: "url", target: "https://github.com/acme/music/blob/main/catalog/catalog-info.yaml" };
const KEY = `url:${FILE.target}`;
const ORIGIN = "url:https://github.com/acme/music/blob/main/catalog-info.yaml";

describe("processFile", () => {
  it("processes a multi-document file: entities, annotations, sorted lists, relations, location targets", async () => {
    const result = await processFile({ location: FILE, origin: ORIGIN, content: multiDoc });
    expect(result.problems).toEqual([]);
    expect(result.complete).toBe(true);
    expect(result.keepRefs).toEqual([]);
    expect(result.locationKey).toBe(KEY);
    expect(result.entities.map((e) => [e.ref, e.docIndex])).toEqual([
      ["system:music/audio-playback", 0],
      ["component:music/player", 1],
      ["api:music/player-api", 2],
      ["location:music/more-music", 3],
    ]);

    const player = result.entities[1].entity;
    expect(player.metadata.name).toBe("Player"); // the stored entity keeps its case
    expect(player.metadata.annotations).toEqual({
      "backstage.io/managed-by-location": KEY,
      "backstage.io/managed-by-origin-location": ORIGIN,
      "backstage.io/view-url": "https://example.com/own-view", // the entity's own value wins
      "backstage.io/edit-url": "https://github.com/acme/music/edit/main/catalog/catalog-info.yaml",
      "backstage.io/source-location": "url:https://github.com/acme/music/tree/main/catalog/",
    });
    expect(player.spec?.providesApis).toEqual(["api:shared/codecs", "player-api"]);
    expect(player.spec?.dependsOn).toEqual(["component:default/auth", "resource:music/player-db"]);
    expect(result.entities[1].relations.filter((r) => r.sourceRef === "component:music/player").map((r) => `${r.type} ${r.targetRef}`)).toEqual([
      "consumesApi api:music/catalog-api",
      "dependsOn component:default/auth",
      "dependsOn resource:music/player-db",
      "ownedBy user:default/jdoe",
      "partOf system:music/audio-playback",
      "providesApi api:music/player-api",
      "providesApi api:shared/codecs",
    ]);

    expect(result.locationTargets).toEqual([
      { parentRef: "location:music/more-music", presence: "required", location: { type: "url", target: "https://github.com/acme/music/tree/main/catalog/components/recorder.yaml" } },
      { parentRef: "location:music/more-music", presence: "required", location: { type: "url", target: "https://github.com/acme/music/tree/main/org/teams.yaml" } },
      { parentRef: "location:music/more-music", presence: "required", location: { type: "url", target: "https://github.com/other/repo/tree/main/catalog-info.yaml" } },
    ]);
  });

  it("keeps going past invalid documents and reports each one precisely", async () => {
    const result = await processFile({ location: FILE, origin: ORIGIN, content: mixedValidity });
    expect(result.entities.map((e) => e.ref)).toEqual(["component:default/good-one", "featureflag:default/dark-mode"]);
    expect(result.complete).toBe(false); // the list document and the nameless one cannot be identified
    expect(result.keepRefs).toEqual(["component:default/no-owner", "component:default/bad-dependency"]);
    expect(result.problems.map(({ docIndex, entityRef, field, line, name }) => ({ docIndex, entityRef, field, line, name }))).toEqual([
      { docIndex: 1, entityRef: "component:default/no-owner", field: "spec.owner", line: 10, name: "InputError" },
      { docIndex: 2, entityRef: "component:default/bad-dependency", field: "spec.dependsOn.0", line: 18, name: "InputError" },
      { docIndex: 3, entityRef: "component:default/good-one", field: "metadata.name", line: 28, name: "ConflictError" },
      { docIndex: 4, entityRef: null, field: null, line: 37, name: "InputError" },
      { docIndex: 5, entityRef: null, field: "metadata.name", line: 40, name: "InputError" },
    ]);
    expect(result.problems.map((p) => p.message)).toEqual([
      "/spec must have required property 'owner' - missingProperty: owner",
      expect.stringContaining('Entity reference "other-component" had missing or empty kind'),
      "Duplicate entity component:default/good-one in file, already defined by document 0",
      "Expected object at root, got array",
      "Malformed envelope, /metadata must have required property 'name'",
    ]);
    expect(result.problems.every((p) => p.location === KEY)).toBe(true);
  });

  it("salvages the good documents of a file with a YAML error and marks it incomplete", async () => {
    const result = await processFile({ location: FILE, origin: ORIGIN, content: brokenYaml });
    expect(result.entities.map((e) => e.ref)).toEqual(["group:default/team-a", "user:default/asmith"]);
    expect(result.complete).toBe(false);
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]).toMatchObject({ location: KEY, docIndex: 1, entityRef: null, field: null, line: 13, name: "InputError" });
    expect(result.problems[0].message).toMatch(new RegExp(`^YAML error at ${KEY.replace(/[.?/]/g, "\\$&")}, duplicated mapping key`));
  });

  it("emits relations for every kind with the entity's own namespace as default", async () => {
    const result = await processFile({ location: { type: "file", target: "/repo/org.yaml" }, origin: "file:/repo/org.yaml", content: org });
    expect(result.problems).toEqual([]);
    const forward = result.entities.flatMap((e) => e.relations.filter((r) => r.sourceRef === e.ref).map((r) => `${r.sourceRef} ${r.type} ${r.targetRef}`));
    expect(forward).toEqual([
      "group:platform/team-a childOf group:platform/engineering",
      "group:platform/team-a hasMember user:default/asmith",
      "group:platform/team-a hasMember user:platform/jdoe",
      "group:platform/team-a parentOf group:platform/team-a-sub",
      "user:platform/jdoe memberOf group:default/everyone",
      "user:platform/jdoe memberOf group:platform/team-a",
      "domain:platform/playback ownedBy group:platform/team-a",
      "domain:platform/playback partOf domain:platform/media",
      "resource:platform/player-db dependencyOf component:platform/player",
      "resource:platform/player-db dependsOn resource:platform/disk",
      "resource:platform/player-db ownedBy group:platform/team-a",
      "resource:platform/player-db partOf system:platform/audio",
      "template:platform/new-service ownedBy group:platform/team-a",
    ]);
    // file locations get no view/edit/source annotations
    expect(Object.keys(result.entities[0].entity.metadata.annotations ?? {})).toEqual([
      "backstage.io/managed-by-location",
      "backstage.io/managed-by-origin-location",
    ]);
  });

  it("resolves placeholders before validation through the injected reader", async () => {
    const files: Record<string, string> = {
      "https://github.com/acme/music/tree/main/catalog/openapi.yaml": "openapi: 3.0.0\n",
      "https://github.com/acme/music/tree/main/catalog/description.txt": "The pet store",
      "https://github.com/acme/music/tree/main/catalog/extra.yaml": "k: v\n",
    };
    const read: FileReader = async (l) => files[l.target];
    const result = await processFile({ location: FILE, origin: ORIGIN, content: apiWithPlaceholder, read });
    expect(result.problems).toEqual([]);
    const entity = result.entities[0].entity;
    expect(entity.spec).toMatchObject({ definition: "openapi: 3.0.0\n", schemaDoc: { $ref: "#/definitions/x" }, extra: { k: "v" } });
    expect(entity.metadata.description).toBe("The pet store");
  });

  it("keeps the previous version of an entity whose placeholder cannot be read", async () => {
    const result = await processFile({ location: FILE, origin: ORIGIN, content: apiWithPlaceholder, read: async () => undefined });
    expect(result.entities).toEqual([]);
    expect(result.complete).toBe(true);
    expect(result.keepRefs).toEqual(["api:default/petstore-api"]);
    expect(result.problems.map((p) => p.field)).toEqual(["metadata.description", "spec.definition", "spec.extra"]);
  });

  it("forces the location annotations over values written in the file", async () => {
    const content = componentMinimal.replace(
      "  name: petstore\n",
      "  name: petstore\n  annotations:\n    backstage.io/managed-by-location: url:https://evil.test/x\n    backstage.io/managed-by-origin-location: 5\n",
    );
    const result = await processFile({ location: FILE, origin: ORIGIN, content });
    expect(result.problems).toEqual([]);
    expect(result.entities[0].entity.metadata.annotations).toMatchObject({
      "backstage.io/managed-by-location": KEY,
      "backstage.io/managed-by-origin-location": ORIGIN,
    });
  });

  it("defaults a Location's type to the file's and honours presence", async () => {
    const content = [
      "apiVersion: backstage.io/v1alpha1",
      "kind: Location",
      "metadata: {name: files}",
      "spec: {target: ./teams.yaml, presence: optional}",
      "---",
      "apiVersion: backstage.io/v1alpha1",
      "kind: Location",
      "metadata: {name: urls}",
      "spec: {type: url, target: 'https://example.com/c.yaml'}",
    ].join("\n");
    const result = await processFile({ location: { type: "file", target: "/data/org/all.yaml" }, origin: "file:/data/org/all.yaml", content });
    expect(result.locationTargets).toEqual([
      { parentRef: "location:default/files", presence: "optional", location: { type: "file", target: "/data/org/teams.yaml" } },
      { parentRef: "location:default/urls", presence: "required", location: { type: "url", target: "https://example.com/c.yaml" } },
    ]);
  });

  it("drops an input uid and rejects keys that vary only in case", async () => {
    const uid = await processFile({ location: FILE, origin: ORIGIN, content: componentMinimal.replace("  name: petstore\n", "  name: petstore\n  uid: abc\n") });
    expect(uid.entities[0].entity.metadata.uid).toBeUndefined();
    const casing = await processFile({ location: FILE, origin: ORIGIN, content: componentMinimal + "  Owner: team-b\n" });
    expect(casing.entities).toEqual([]);
    expect(casing.problems[0]).toMatchObject({ entityRef: "component:default/petstore", message: "Entity has duplicate keys that vary only in casing, 'spec.owner'" });
  });

  it("treats an empty file as complete and empty", async () => {
    expect(await processFile({ location: FILE, origin: ORIGIN, content: "" })).toEqual({
      locationKey: KEY,
      entities: [],
      problems: [],
      complete: true,
      keepRefs: [],
      locationTargets: [],
    });
  });
});
