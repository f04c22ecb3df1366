import { describe, expect, it } from "vitest";
import { load } from "js-yaml";
import { parseTemplate } from "../../../worker/scaffolder/template";
import { api, getJson, MEMBER_REF, postJson } from "../helpers";
import { quiesce } from "../ingestion/github-helpers";
import { createTask, eventsOf, FIXTURES, fixtureFiles, installScaffolderGithub, registerTemplate, repoFiles, runTemplate, settledTask, templatesRepo } from "./helpers";

const fake = installScaffolderGithub();

const b64 = (s: string) => btoa(String.fromCharCode(...new TextEncoder().encode(s)));
const unb64 = (s: string) => new TextDecoder().decode(Uint8Array.from(atob(s), (c) => c.charCodeAt(0)));
const directoryOf = (dir: string) => Object.entries(fixtureFiles(dir)).filter(([p]) => p !== "template.yaml").map(([path, v]) => ({ path, base64Content: b64(v) }));

describe("real Backstage templates", () => {
  it.each(["docs-template", "pull-request", "react-ssr-template"])("%s parses, and its parameter schema is Backstage's", async (dir) => {
    const entity = load(FIXTURES[`${dir}/template.yaml`]) as Record<string, any>;
    const t = parseTemplate(entity);
    expect(t.steps.length).toBeGreaterThan(0);
    const ref = await registerTemplate(entity);
    const [, name] = ref.split("/");
    const { status, body } = await getJson(`/api/scaffolder/v2/templates/default/template/${name}/parameter-schema`);
    expect(status).toBe(200);
    expect(body.title).toBe(entity.metadata.title);
    expect(body.steps.map((s: { title: string }) => s.title)).toEqual(entity.spec.parameters.map((p: { title: string }) => p.title));
    expect(body.steps[0].schema).toEqual(entity.spec.parameters[0]);
  });

  it("docs-template dry-runs to the expected files and touches nothing", async () => {
    const requests = fake.requests.length;
    const { status, body } = await postJson("/api/scaffolder/v2/dry-run", {
      template: load(FIXTURES["docs-template/template.yaml"]),
      values: { name: "guide", description: "Our guide", owner: "group:default/docs", repoUrl: "github.com?owner=acme&repo=guide" },
      directoryContents: directoryOf("docs-template"),
    });
    expect(status).toBe(200);
    const files = Object.fromEntries(body.directoryContents.map((f: { path: string; base64Content: string }) => [f.path, unb64(f.base64Content)]));
    expect(files).toEqual({
      "catalog-info.yaml": [
        "apiVersion: backstage.io/v1alpha1",
        "kind: Component",
        "metadata:",
        '  name: "guide"',
        '  description: "Our guide"',
        "  annotations:",
        "    github.com/project-slug: acme/guide",
        "    backstage.io/techdocs-ref: dir:.",
        "spec:",
        "  type: documentation",
        "  lifecycle: experimental",
        '  owner: "group:default/docs"',
        "",
      ].join("\n"),
      "mkdocs.yml": 'site_name: "guide"\nsite_description: "Our guide"\n\nnav:\n  - Introduction: index.md\n\nplugins:\n  - techdocs-core\n',
    });
    expect(body.steps.map((s: { status: string }) => s.status)).toEqual(["completed", "completed", "completed"]);
    expect(body.output.links[0]).toEqual({ title: "Repository", url: "https://github.com/acme/guide.git" });
    expect(fake.requests.length).toBe(requests);
    expect(fake.model.findRepo("acme", "guide")).toBeUndefined();
  });

  it("pull-request dry-run stops clearly at the step that reads another repository", async () => {
    const { status, body } = await postJson("/api/scaffolder/v2/dry-run", {
      template: load(FIXTURES["pull-request/template.yaml"]),
      values: { name: "x", repoUrl: "github.com?owner=acme&repo=y" },
      directoryContents: directoryOf("pull-request"),
    });
    expect(status).toBe(400);
    expect(body.error.message).toMatch(/step 'fetch-docs'.*backstage\/community.*GITHUB_READ_OTHER_REPOS/);
  });

  it("pull-request's publish action opens a pull request with the rendered files on the fake", async () => {
    const target = await fake.model.createRepo({ owner: "acme", name: `monorepo-${Math.random().toString(36).slice(2, 7)}`, files: { "README.md": "root" } });
    const entity = load(FIXTURES["pull-request/template.yaml"]) as Record<string, any>;
    entity.spec.steps = entity.spec.steps.filter((s: { id: string }) => s.id !== "fetch-docs");
    const repo = await templatesRepo(fake, Object.fromEntries(Object.entries(fixtureFiles("pull-request")).map(([p, v]) => [`pr/${p}`, v])));
    const ref = await registerTemplate(entity, { repo, dir: "pr" });
    const task = await runTemplate(ref, { name: "newproj", description: "A new project", repoUrl: `github.com?owner=acme&repo=${target.name}` });
    expect(task.error?.message).toBeUndefined();
    expect(task.output.links).toEqual([{ url: `https://github.com/acme/${target.name}/pull/1`, title: "Go to PR" }]);
    const pull = target.pulls.get(1)!;
    expect(pull).toMatchObject({ head: "create-newproj", base: "main", title: "Create new project: newproj" });
    expect(pull.body).toContain("A new project");
    const head = fake.model.commits.get(target.branches.get("create-newproj")!)!;
    expect([...head.files.keys()].sort()).toEqual(["README.md", "newproj/catalog-info.yaml"]);
    expect(Object.keys(repoFiles(fake, "acme", target.name))).toEqual(["README.md"]);
    await quiesce(fake);
  });
});

describe("task API", () => {
  const simple = (list: unknown[], annotations: Record<string, string> = {}) =>
    registerTemplate({ apiVersion: "scaffolder.backstage.io/v1beta3", kind: "Template", metadata: { name: "simple", annotations }, spec: { owner: "team-a", type: "service", steps: list } });

  it("lists the actions with their schemas", async () => {
    const { status, body } = await getJson("/api/scaffolder/v2/actions");
    expect(status).toBe(200);
    const ids = body.map((a: { id: string }) => a.id);
    expect(ids).toEqual(expect.arrayContaining(["fetch:template", "fetch:plain", "fetch:plain:file", "publish:github", "publish:github:pull-request", "catalog:register", "catalog:write", "catalog:fetch", "debug:log", "debug:wait"]));
    expect(body.find((a: { id: string }) => a.id === "publish:github").schema.input.required).toEqual(["repoUrl"]);
  });

  it("streams a task's log as server-sent events until it completes", async () => {
    const ref = await simple([
      { id: "one", action: "debug:log", input: { message: "hello ${{ user.ref }}" } },
      { id: "wait", action: "debug:wait", input: { milliseconds: 50 } },
      { id: "two", action: "catalog:write", input: { entity: { apiVersion: "backstage.io/v1alpha1", kind: "Component", metadata: { name: "x" } } } },
    ]);
    const res = await createTask(ref, {}, {}, {});
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const stream = await api(`/api/scaffolder/v2/tasks/${res.body.id}/eventstream`);
    expect(stream.headers.get("content-type")).toBe("text/event-stream");
    const text = await stream.text();
    const events = text.split("\n\n").filter(Boolean).map((chunk) => JSON.parse(chunk.split("\n").find((l) => l.startsWith("data: "))!.slice(6)));
    expect(events.at(-1)).toMatchObject({ type: "completion", body: { status: "completed" } });
    expect(events.some((e) => e.body.message === `hello ${MEMBER_REF}` && e.body.stepId === "one")).toBe(true);
    expect(events.map((e) => e.id)).toEqual([...events.map((e) => e.id)].sort((a, b) => a - b));
    const listed = await getJson(`/api/scaffolder/v2/tasks?createdBy=${encodeURIComponent(MEMBER_REF)}`);
    expect(listed.body.tasks.map((t: { id: string }) => t.id)).toContain(res.body.id);
    expect(listed.body.tasks.every((t: { createdBy: string }) => t.createdBy === MEMBER_REF)).toBe(true);
  });

  it("cancels a running task: the next step does not start", async () => {
    const ref = await simple([
      { id: "wait", action: "debug:wait", input: { seconds: 2 } },
      { id: "after", action: "debug:log", input: { message: "too late" } },
    ]);
    const res = await createTask(ref, {}, {}, {});
    const cancel = await postJson(`/api/scaffolder/v2/tasks/${res.body.id}/cancel`, {}, {});
    expect(cancel.status).toBe(200);
    const task = await settledTask(res.body.id);
    expect(task.status).toBe("cancelled");
    expect((await eventsOf(task.id)).some((e) => e.body.message === "too late")).toBe(false);
    expect((await eventsOf(task.id)).some((e) => e.type === "cancelled")).toBe(true);
  });

  it("lets a template narrow who runs it (edgestage.dev/run-allowed)", async () => {
    const ref = await simple([{ id: "one", action: "debug:log", input: { message: "hi" } }], { "edgestage.dev/run-allowed": "group:default/platform" });
    const member = await createTask(ref, {}, {}, {});
    expect(member.status).toBe(403);
    expect(member.body.error.message).toMatch(/only group:default\/platform may/);
    const dry = await postJson("/api/scaffolder/v2/dry-run", { templateRef: ref, values: {} }, {});
    expect(dry.status).toBe(403);
    expect((await createTask(ref, {})).status).toBe(201); // admin
  });

  it("answers 404 for an unknown task", async () => {
    expect((await getJson("/api/scaffolder/v2/tasks/nope")).status).toBe(404);
    expect((await getJson("/api/scaffolder/v2/tasks/nope/eventstream")).status).toBe(404);
  });
});
