import { describe, expect, it, vi } from "vitest";
import { getJson } from "../helpers";
import { entity, quiesce } from "../ingestion/github-helpers";
import { FIXTURES, eventsOf, fixtureFiles, installScaffolderGithub, registerTemplate, repoFiles, runTemplate, templatesRepo } from "./helpers";

const fake = installScaffolderGithub();

describe("running a real Backstage template against the fake GitHub", () => {
  it("docs-template: creates the repo with exactly the rendered files, registers it, and the push makes it visible", async () => {
    const repo = await templatesRepo(fake, Object.fromEntries(Object.entries(fixtureFiles("docs-template")).map(([p, v]) => [`docs/${p}`, v])));
    const ref = await registerTemplate(FIXTURES["docs-template/template.yaml"], { repo, dir: "docs" });
    const name = `handbook-${Math.random().toString(36).slice(2, 7)}`;
    const task = await runTemplate(ref, { name, description: "The team handbook", owner: "group:default/team-a", repoUrl: `github.com?owner=acme&repo=${name}` });
    expect(task.error?.message).toBeUndefined();
    expect(task.status).toBe("completed");
    expect(task.steps.map((s) => [s.id, s.status])).toEqual([["fetch", "completed"], ["publish", "completed"], ["register", "completed"]]);

    const files = repoFiles(fake, "acme", name);
    expect(Object.keys(files).sort()).toEqual(["catalog-info.yaml", "mkdocs.yml"]);
    expect(files["catalog-info.yaml"]).toContain(`name: "${name}"`);
    expect(files["catalog-info.yaml"]).toContain(`github.com/project-slug: acme/${name}`);
    expect(files["catalog-info.yaml"]).toContain(`owner: "group:default/team-a"`);
    expect(files["mkdocs.yml"]).toContain(`site_description: "The team handbook"`);
    const created = fake.model.findRepo("acme", name)!;
    expect(created.description).toBe(`This is ${name}`);
    expect(created.visibility).toBe("private");
    expect(created.protection?.has("main")).toBe(true);

    expect(task.output.links).toEqual([
      { title: "Repository", url: `https://github.com/acme/${name}.git` },
      { title: "Open in catalog", icon: "catalog", entityRef: `component:default/${name}` },
    ]);
    // The push webhook the publish delivered, and the location catalog:register made, both bring the entity.
    expect(fake.deliveries.some((d) => d.repo === `acme/${name}` && d.status === 202)).toBe(true);
    const visible = await vi.waitUntil(async () => ((await entity("component", name)).status === 200 ? true : false), { timeout: 10_000, interval: 20 });
    expect(visible).toBe(true);
    const locations = (await getJson("/api/catalog/locations")).body as { data: { target: string } }[];
    expect(locations.some((l) => l.data.target === `https://github.com/acme/${name}/blob/main/catalog-info.yaml`)).toBe(true);

    const log = await eventsOf(task.id);
    expect(log.at(-1)).toMatchObject({ type: "completion", body: { status: "completed" } });
    expect(log.some((e) => e.body.stepId === "publish" && /Committed 2 file/.test(e.body.message))).toBe(true);
    await quiesce(fake);
  });
});
