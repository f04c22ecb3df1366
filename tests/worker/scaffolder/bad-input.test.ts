import { describe, expect, it } from "vitest";
import { getJson } from "../helpers";
import { quiesce } from "../ingestion/github-helpers";
import { createTask, eventsOf, FIXTURES, fixtureFiles, installScaffolderGithub, registerTemplate, runTemplate, templatesRepo } from "./helpers";

const fake = installScaffolderGithub();

const docsRepo = () => templatesRepo(fake, Object.fromEntries(Object.entries(fixtureFiles("docs-template")).map(([p, v]) => [`docs/${p}`, v])));

const steps = (list: unknown[], parameters: unknown = { properties: {} }) => ({
  apiVersion: "scaffolder.backstage.io/v1beta3",
  kind: "Template",
  metadata: { name: "t" },
  spec: { owner: "team-a", type: "service", parameters, steps: list },
});

describe("bad input", () => {
  it("refuses values that break the parameters' schema with field errors, and creates no task", async () => {
    const ref = await registerTemplate(FIXTURES["docs-template/template.yaml"]);
    const before = (await getJson("/api/scaffolder/v2/tasks")).body.totalTasks;
    const res = await createTask(ref, { name: 42, repoUrl: "github.com?owner=acme" });
    expect(res.status).toBe(400);
    expect(res.body.error.name).toBe("InputError");
    const fields = (res.body.error.errors as { field: string; pointer: string; message: string }[]).map((e) => e.field);
    expect(fields).toEqual(expect.arrayContaining(["name", "description"]));
    expect(res.body.response.statusCode).toBe(400);
    expect((await getJson("/api/scaffolder/v2/tasks")).body.totalTasks).toBe(before);
  });

  it("answers 404 for a template that does not exist and 400 for a ref that is not a template", async () => {
    expect((await createTask("template:default/nope", {})).status).toBe(404);
    expect((await createTask("component:default/x", {})).status).toBe(400);
    expect((await createTask(7 as unknown as string, {})).status).toBe(400);
  });

  it("fails cleanly when the repository exists already, and registers nothing", async () => {
    const repo = await docsRepo();
    const ref = await registerTemplate(FIXTURES["docs-template/template.yaml"], { repo, dir: "docs" });
    const name = `taken-${Math.random().toString(36).slice(2, 7)}`;
    await fake.model.createRepo({ owner: "acme", name, files: { "README.md": "mine" } });
    const task = await runTemplate(ref, { name, description: "d", repoUrl: `github.com?owner=acme&repo=${name}` });
    expect(task.status).toBe("failed");
    expect(task.error?.message).toMatch(new RegExp(`acme/${name} already exists`));
    expect(task.steps.map((s) => s.status)).toEqual(["completed", "failed", "skipped"]);
    const locations = (await getJson("/api/catalog/locations")).body as { data: { target: string } }[];
    expect(locations.some((l) => l.data.target.includes(`/acme/${name}/`))).toBe(false);
    expect((await getJson(`/api/catalog/entities/by-name/component/default/${name}`)).status).toBe(404);
    const log = await eventsOf(task.id);
    expect(log.at(-1)).toMatchObject({ type: "completion", body: { status: "failed" } });
  });

  it("a failing step stops the task with its error and leaves no half-registered entity", async () => {
    const repo = await templatesRepo(fake, { "skel/catalog-info.yaml": "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: ${{ values.name }}\nspec: {}\n" });
    const ref = await registerTemplate(
      steps([
        { id: "fetch", action: "fetch:template", input: { url: "./skel", values: { name: "${{ parameters.name }}" } } },
        { id: "publish", action: "publish:github", input: { repoUrl: "github.com?owner=acme&repo=${{ parameters.name }}" } },
        { id: "register", action: "catalog:register", input: { repoContentsUrl: "${{ steps.publish.output.repoContentsUrl }}" } },
        { id: "after", action: "debug:log", input: { message: "never" } },
      ]),
      { repo },
    );
    const name = `broken-${Math.random().toString(36).slice(2, 7)}`;
    const task = await runTemplate(ref, { name });
    expect(task.status).toBe("failed");
    expect(task.steps.map((s) => [s.id, s.status])).toEqual([["fetch", "completed"], ["publish", "completed"], ["register", "failed"], ["after", "skipped"]]);
    expect(task.error?.message).toMatch(/catalog:register: .* cannot be registered: .*spec/);
    // The repository's push is indexed like any other (its file gets a processing error); no entity comes of it.
    await quiesce(fake);
    expect((await getJson(`/api/catalog/entities/by-name/component/default/${name}`)).status).toBe(404);
    expect((await eventsOf(task.id)).some((e) => e.body.message === "never")).toBe(false);
    await quiesce(fake);
  });

  it("stops a step whose expression loops without bound", async () => {
    const ref = await registerTemplate(steps([{ id: "spin", action: "debug:log", input: { message: "{% for i in range(0, 4000) %}{% for j in range(0, 4000) %}{% endfor %}{% endfor %}" } }]));
    const task = await runTemplate(ref, {});
    expect(task.status).toBe("failed");
    expect(task.error?.message).toMatch(/Template stopped: .*cycle budget/);
  });

  it("stops a step whose expression allocates without bound", async () => {
    const ref = await registerTemplate(steps([{ id: "grow", action: "debug:log", input: { message: "{% set s = 'xxxxxxxx' %}{% for i in range(0, 40) %}{% set s = s + s %}{% endfor %}${{ s | length }}" } }]));
    const task = await runTemplate(ref, {});
    expect(task.status).toBe("failed");
    expect(task.error?.message).toMatch(/Template stopped: it used more than 32 MB/);
  });

  it("names an unknown action, a bad action input and cookiecutterCompat clearly", async () => {
    const unknown = await runTemplate(await registerTemplate(steps([{ id: "x", action: "fetch:cookiecutter", input: {} }])), {});
    expect(unknown.error?.message).toMatch(/Template action 'fetch:cookiecutter' does not exist/);
    const input = await runTemplate(await registerTemplate(steps([{ id: "x", action: "fetch:plain:file", input: { url: "./a" } }])), {});
    expect(input.error?.message).toMatch(/Invalid input passed to action fetch:plain:file.*targetPath/);
    const compat = await runTemplate(await registerTemplate(steps([{ id: "x", action: "fetch:template", input: { url: "./a", cookiecutterCompat: true } }])), {});
    expect(compat.error?.message).toMatch(/cookiecutterCompat is not supported/);
  });

  it("refuses a template that is not v1beta3", async () => {
    const ref = await registerTemplate({ ...steps([]), apiVersion: "scaffolder.backstage.io/v1beta2" });
    const res = await createTask(ref, {});
    expect(res.status).toBe(400);
    expect(res.body.error.message).toMatch(/only scaffolder.backstage.io\/v1beta3 runs here/);
  });
});

describe("secrets", () => {
  it("never land in the task record or its log", async () => {
    const ref = await registerTemplate(
      steps(
        [
          { id: "a", action: "debug:log", input: { message: "token=${{ parameters.token }} key=${{ secrets.apiKey }} user=${{ parameters.user }}" } },
          { id: "b", action: "debug:log", input: { extra: { nested: "${{ secrets.apiKey }}" } } },
        ],
        { properties: { user: { type: "string" }, token: { type: "string", "ui:field": "Secret" } } },
      ),
    );
    const task = await runTemplate(ref, { user: "jane", token: "s3cr3t-token-value" }, { secrets: { apiKey: "k3y-very-secret" } });
    expect(task.status).toBe("completed");
    const record = JSON.stringify((await getJson(`/api/scaffolder/v2/tasks/${task.id}`)).body);
    const log = JSON.stringify(await eventsOf(task.id));
    for (const text of [record, log, JSON.stringify((await getJson("/api/scaffolder/v2/tasks")).body)]) {
      expect(text).not.toContain("s3cr3t-token-value");
      expect(text).not.toContain("k3y-very-secret");
    }
    expect(log).toContain("token=*** key=*** user=jane");
    expect(task.spec.parameters.token).toBe("********");
  });
});
