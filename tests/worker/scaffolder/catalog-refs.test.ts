/**
 * EntityPicker / OwnerPicker with `allowArbitraryValues: false`: POST /tasks and dry-run refuse a ref the
 * catalog does not hold (or that the picker's catalogFilter excludes) with a field error in the same shape
 * as the schema's, and create no task; an existing entity passes. Pickers that allow arbitrary values (the
 * default) are only checked for shape.
 */
import { describe, expect, it } from "vitest";
import { component, getJson, ingest, postJson, uniq } from "../helpers";
import { createTask, registerTemplate } from "./helpers";

const template = (properties: Record<string, unknown>) =>
  registerTemplate({
    apiVersion: "scaffolder.backstage.io/v1beta3",
    kind: "Template",
    metadata: { name: "pick" },
    spec: { owner: "team-a", type: "service", parameters: [{ title: "Pick", properties }], steps: [{ id: "log", action: "debug:log", input: { message: "ok" } }] },
  });

async function seed() {
  const api = uniq("payments-api");
  const lib = uniq("payments-lib");
  const team = uniq("team");
  await ingest(`/seed/${api}.yaml`, {
    [`/seed/${api}.yaml`]: [
      component(api, { type: "service" }),
      component(lib, { type: "library" }),
      JSON.stringify({ apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: team }, spec: { type: "team", children: [] } }),
    ].join("\n---\n"),
  });
  return { api, lib, team };
}

describe("pickers that allow only catalog entities", () => {
  it("refuses a ref the catalog does not hold, at its field, on POST /tasks and dry-run", async () => {
    const { api, team } = await seed();
    const ref = await template({
      service: { type: "string", title: "Service", "ui:field": "EntityPicker", "ui:options": { allowArbitraryValues: false, catalogFilter: { kind: "Component" } } },
      owner: { type: "string", title: "Owner", "ui:field": "OwnerPicker", "ui:options": { allowArbitraryValues: false } },
    });
    const before = (await getJson("/api/scaffolder/v2/tasks")).body.totalTasks;
    const bad = await createTask(ref, { service: "no-such-service", owner: "group:default/no-such-team" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.name).toBe("InputError");
    expect(bad.body.error.errors).toEqual([
      { pointer: "/service", field: "service", message: "component:default/no-such-service is not in the catalog; choose one of the suggestions", keyword: "EntityPicker" },
      { pointer: "/owner", field: "owner", message: "group:default/no-such-team is not in the catalog; choose one of the suggestions", keyword: "OwnerPicker" },
    ]);
    expect((await getJson("/api/scaffolder/v2/tasks")).body.totalTasks).toBe(before);
    const dry = await postJson("/api/scaffolder/v2/dry-run", { templateRef: ref, values: { service: "no-such-service", owner: team } });
    expect(dry.status).toBe(400);
    expect(dry.body.error.errors.map((e: { field: string }) => e.field)).toEqual(["service"]);

    // Existing entities pass, written as the picker completes them (default kind from the filter, namespace default).
    const good = await createTask(ref, { service: api, owner: team });
    expect(good.status, JSON.stringify(good.body)).toBe(201);
  });

  it("refuses an entity the picker's catalogFilter excludes", async () => {
    const { api, lib } = await seed();
    const ref = await template({
      service: { type: "string", "ui:field": "EntityPicker", "ui:options": { allowArbitraryValues: false, catalogFilter: { kind: "Component", "spec.type": "service" } } },
    });
    expect((await createTask(ref, { service: `component:default/${api}` })).status).toBe(201);
    const res = await createTask(ref, { service: `component:default/${lib}` });
    expect(res.status).toBe(400);
    expect(res.body.error.errors).toMatchObject([{ field: "service", keyword: "EntityPicker" }]);
  });

  it("leaves pickers that allow arbitrary values (the default) to the shape check", async () => {
    const ref = await template({ service: { type: "string", "ui:field": "EntityPicker", "ui:options": { catalogFilter: { kind: "Component" } } } });
    expect((await createTask(ref, { service: "not-registered-yet" })).status).toBe(201);
  });
});
