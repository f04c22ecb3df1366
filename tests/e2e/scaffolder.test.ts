/**
 * Software templates in the browser: the /create list, a multi-step form generated from a real template
 * (validation as you type, dependencies, field extensions), the review with secrets masked, Create, and
 * the live task page. The template is tests/fixtures/scaffolder-web/templates/kitchen-sink.yaml, loaded
 * into the e2e portal's catalog here; its task API is answered by the browser (page.route), so the form's
 * request body and the task page's stream handling are pinned exactly. The last journey runs a real task
 * (e2e-service.yaml) on the worker: it publishes to the fake GitHub, whose push comes back as a webhook,
 * registers the new component, and the test follows the task's link to its entity page.
 */
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import type { Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Browser, openBrowser, recordAppFrames, screenshot } from "./browser";

const run = promisify(execFile);
const baseURL = inject("baseURL");
let browser: Browser;

beforeAll(async () => {
  for (const t of ["kitchen-sink", "e2e-service"]) {
    await run("node", ["scripts/catalog-load.mjs", `tests/fixtures/scaffolder-web/templates/${t}.yaml`, "--url", baseURL, "--token", "e2e-token"], { env: { ...process.env, NO_COLOR: "1" } });
  }
  browser = await openBrowser(baseURL);
});

afterAll(async () => {
  await browser?.close();
});

const TASK_ID = "a1b2c3d4-0000-4000-8000-000000000001";

function sse(events: { type: string; body: Record<string, unknown>; createdAt?: string }[]): string {
  return events.map((e, i) => `id: ${i + 1}\nevent: ${e.type}\ndata: ${JSON.stringify({ id: i + 1, taskId: TASK_ID, type: e.type, createdAt: e.createdAt ?? new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(), body: e.body })}\n\n`).join("");
}

/** A stand-in for the task API that records what the form sent. */
async function fakeTaskApi(page: Page): Promise<{ created: () => unknown }> {
  let created: unknown;
  await page.route("**/api/scaffolder/v2/tasks", async (route: Route) => {
    if (route.request().method() !== "POST") return route.fallback();
    created = route.request().postDataJSON();
    await route.fulfill({ status: 201, contentType: "application/json", body: JSON.stringify({ id: TASK_ID }) });
  });
  const task = {
    id: TASK_ID,
    status: "processing",
    createdAt: "2026-01-01T00:00:00.000Z",
    spec: {
      steps: [
        { id: "log", name: "Log", action: "debug:log" },
        { id: "publish", name: "Publish", action: "publish:github" },
      ],
      templateInfo: { entityRef: "template:default/kitchen-sink", entity: { metadata: { name: "kitchen-sink", title: "Kitchen sink" } } },
    },
  };
  await page.route(`**/api/scaffolder/v2/tasks/${TASK_ID}`, (route) => route.fulfill({ status: 200, contentType: "application/json", body: JSON.stringify(task) }));
  await page.route(`**/api/scaffolder/v2/tasks/${TASK_ID}/eventstream*`, (route) =>
    route.fulfill({
      status: 200,
      headers: { "content-type": "text/event-stream", "cache-control": "no-cache" },
      body: sse([
        { type: "log", body: { stepId: "log", status: "processing", message: "Beginning step Log" } },
        { type: "log", body: { stepId: "log", message: "Creating payments" } },
        { type: "log", body: { stepId: "log", status: "completed", message: "Finished step Log" } },
        { type: "log", body: { stepId: "publish", status: "processing", message: "Beginning step Publish" } },
        { type: "log", body: { stepId: "publish", message: "Created repository acme/payments" } },
        { type: "log", body: { stepId: "publish", status: "completed", message: "Finished step Publish" } },
        {
          type: "completion",
          body: {
            message: "Run completed with status: completed",
            output: { links: [{ title: "Repository", url: "https://github.com/acme/payments" }, { title: "Open in catalog", entityRef: "component:default/payments-service" }], text: [{ title: "Done", content: "Created **payments**" }] },
          },
        },
      ]),
    }),
  );
  return { created: () => created };
}

describe("software templates", () => {
  it("lists templates with type, tag and text filters", async () => {
    const page = await browser.newPage();
    await page.goto("/create");
    const list = page.getByTestId("template-list");
    await list.locator('[data-template="template:default/kitchen-sink"]').waitFor();
    expect(await list.locator("li.template-card").count()).toBeGreaterThanOrEqual(3);
    const card = list.locator('[data-template="template:default/kitchen-sink"]');
    expect(await card.textContent()).toContain("Every form feature the portal supports");
    await screenshot(page, "scaffolder-01-create");

    await page.getByRole("complementary", { name: "Template filters" }).getByLabel("forms").check();
    await page.waitForURL(/tag=forms/);
    expect(await list.locator("li.template-card").count()).toBe(1);
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByTestId("template-search").fill("no such template anywhere");
    await page.getByText("No template matches these filters").waitFor();
    await page.close();
  });

  it("fills a multi-step form with validation as you type, reviews it with secrets masked, creates the task and watches it", async () => {
    const page = await browser.newPage();
    const api = await fakeTaskApi(page);
    await page.goto("/create");
    await page.getByRole("link", { name: "Choose Kitchen sink" }).click();
    await page.waitForURL(/\/create\/templates\/default\/kitchen-sink$/);
    const step0 = page.getByTestId("step-0");
    await step0.waitFor();

    // Autofocus lands on the name; Next with nothing filled shows every required field.
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("field-name");
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByText("Name is required").waitFor();
    await page.getByText("Owner is required").waitFor();
    await screenshot(page, "scaffolder-02-required");

    // Validated as you type: a bad entity name is refused, then accepted.
    await page.getByLabel("Name").fill("-bad-");
    await page.getByText(/^Must start and end with an alphanumeric character/).waitFor();
    await page.getByLabel("Name").fill("payments");
    await page.getByText(/^Must start and end with an alphanumeric character/).waitFor({ state: "detached" });

    // OwnerPicker: typeahead over groups in the catalog.
    await page.getByRole("combobox", { name: "Owner" }).fill("team-pay");
    await page.getByRole("option", { name: /team-payments/ }).click();
    expect(await page.getByRole("combobox", { name: "Owner" }).inputValue()).toBe("group:default/team-payments");

    // dependencies/oneOf: switching the language swaps the runtime field for the Go version.
    await page.getByLabel("Runtime").waitFor();
    await page.getByRole("radio", { name: "Go" }).check();
    await page.getByLabel("Go version").waitFor();
    expect(await page.getByLabel("Runtime").count()).toBe(0);
    await page.getByLabel("Go version").fill("2.0");
    await page.getByText("Must match the pattern ^1\\.[0-9]+$").waitFor();
    await page.getByLabel("Go version").fill("1.23");

    await page.getByLabel("Tags", { exact: true }).fill("web");
    await page.getByLabel("Tags", { exact: true }).press("Enter");
    await page.getByLabel("Tags", { exact: true }).fill("Bad Tag");
    await page.getByLabel("Tags", { exact: true }).press("Enter");
    await page.getByText(/^Tags must be lower case/).waitFor();
    await page.getByRole("button", { name: "Remove tag Bad Tag" }).click();
    await screenshot(page, "scaffolder-03-step1");
    await page.getByRole("button", { name: "Next", exact: true }).click();

    // Step 2: allOf-merged fields, defaults, secrets.
    await page.getByTestId("step-1").waitFor();
    expect(await page.getByLabel("Replicas").inputValue()).toBe("2");
    await page.getByLabel("Replicas").fill("9");
    await page.getByText("Must be 5 or less").waitFor();
    await page.getByLabel("Replicas").fill("3");
    await page.getByLabel("API token").fill("tok-very-secret");
    await page.getByLabel("Admin password").fill("short");
    await page.getByText("Must be at least 8 characters").waitFor();
    await page.getByLabel("Admin password").fill("hunter2hunter2");
    await page.getByRole("button", { name: "Next", exact: true }).click();

    // Step 3: RepoUrlPicker with allowed hosts and owners.
    await page.getByTestId("step-2").waitFor();
    await page.getByTestId("repo-owner").selectOption("acme");
    await page.getByTestId("repo-name").fill("payments");
    await page.getByRole("button", { name: "Review", exact: true }).click();

    const review = page.getByTestId("review");
    await review.waitFor();
    const rowText = async (field: string) => (await review.locator(`[data-field="${field}"] dd`).textContent())?.trim();
    expect(await rowText("name")).toBe("payments");
    expect(await rowText("owner")).toBe("group:default/team-payments");
    expect(await rowText("lang")).toBe("Go");
    expect(await rowText("goVersion")).toBe("1.23");
    expect(await rowText("replicas")).toBe("3");
    expect(await rowText("apiToken")).toBe("********");
    expect(await rowText("adminPassword")).toBe("********");
    expect(await rowText("repoUrl")).toBe("github.com?owner=acme&repo=payments");
    expect(await review.textContent()).not.toContain("tok-very-secret");
    await screenshot(page, "scaffolder-04-review", true);

    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.waitForURL(new RegExp(`/create/tasks/${TASK_ID}$`));
    expect(api.created()).toEqual({
      templateRef: "template:default/kitchen-sink",
      values: { name: "payments", owner: "group:default/team-payments", tags: ["web"], lang: "go", goVersion: "1.23", replicas: 3, public: false, apiToken: "********", adminPassword: "********", repoUrl: "github.com?owner=acme&repo=payments" },
      secrets: { apiToken: "tok-very-secret", adminPassword: "hunter2hunter2" },
    });

    // The task page streams the log, marks each step, and shows the outputs.
    await page.getByTestId("task-outputs").waitFor();
    expect(await page.getByTestId("task-status").textContent()).toBe("Completed");
    expect(await page.locator('[data-step="publish"]').getAttribute("class")).toContain("task-step-completed");
    expect(await page.getByTestId("task-log").textContent()).toContain("Created repository acme/payments");
    await page.locator('[data-step="log"]').click();
    expect(await page.getByTestId("task-log").textContent()).toContain("Creating payments");
    expect(await page.getByRole("link", { name: "Repository" }).getAttribute("href")).toBe("https://github.com/acme/payments");
    expect(await page.getByRole("link", { name: "Open in catalog" }).getAttribute("href")).toBe("/catalog/default/component/payments-service");
    await screenshot(page, "scaffolder-05-task", true);
    await page.close();
  });

  it("runs a real task: live log, steps and durations, then follows the link to the new entity", async () => {
    const page = await browser.newPage();
    const name = `e2e-svc-${Date.now().toString(36)}`;
    await page.goto("/create/templates/default/e2e-service");
    await page.getByTestId("step-0").waitFor();
    await page.getByRole("textbox", { name: "Name" }).fill(name);
    // The owner picker allows only catalog entities (allowArbitraryValues: false): a typed ref the catalog
    // lacks is refused at the field on Next.
    await page.getByRole("combobox", { name: "Owner" }).fill("nobody-such-team");
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.locator('[data-field="owner"] .form-errors').getByText("group:default/nobody-such-team is not in the catalog; choose one of the suggestions").waitFor();
    expect(await page.getByTestId("step-0").isVisible()).toBe(true);
    await screenshot(page, "scaffolder-06-owner-not-in-catalog");
    const owner = page.getByRole("combobox", { name: "Owner" });
    await owner.fill("team-plat");
    // Leaving the box and coming straight back (a stray click, Tab then Shift+Tab) keeps the list open:
    // the close a blur schedules is dropped by the focus that follows it.
    await owner.evaluate((el: HTMLInputElement) => {
      el.blur();
      el.focus();
    });
    await page.waitForTimeout(400);
    expect(await owner.getAttribute("aria-expanded")).toBe("true");
    await page.getByRole("option", { name: /team-platform/ }).click();
    await page.getByRole("button", { name: "Next", exact: true }).click();
    await page.getByTestId("step-1").waitFor();
    await page.getByTestId("repo-owner").selectOption("brightcart");
    await page.getByTestId("repo-name").fill(name);
    await page.getByRole("button", { name: "Review", exact: true }).click();
    await page.getByTestId("review").waitFor();
    await page.getByRole("button", { name: "Create", exact: true }).click();
    await page.waitForURL(/\/create\/tasks\/[0-9a-f-]{36}$/);

    // The log streams while the task runs: the page follows the running step (the 6 s wait) and shows the
    // line debug:wait writes as it starts, while that step is still running (lines are stored as written).
    try {
      await page.locator('[data-step="think"].task-step-processing').waitFor({ timeout: 20_000 });
      await page.getByTestId("task-log").getByText("Beginning step Think").waitFor();
      await page.getByTestId("task-log").getByText("Waiting 6000 ms").waitFor();
      expect(await page.locator('[data-step="think"]').getAttribute("class")).toContain("task-step-processing");
      expect(await page.getByTestId("task-log").textContent()).not.toContain("Finished step Think");
      await screenshot(page, "scaffolder-06-live");
    } catch (err) {
      await screenshot(page, "scaffolder-06-live-failed", true);
      throw err;
    }
    await page.getByTestId("task-outputs").waitFor({ timeout: 45_000 }).catch(async (err) => {
      await screenshot(page, "scaffolder-07-failed", true);
      throw err;
    });
    expect(await page.getByTestId("task-status").textContent()).toBe("Completed");
    for (const step of ["hello", "think", "write", "publish", "register"]) {
      expect(await page.locator(`[data-step="${step}"]`).getAttribute("class")).toContain("task-step-completed");
      expect(await page.locator(`[data-step="${step}"] .task-step-meta`).textContent()).toMatch(/\d+(\.\d)? (ms|s)$/);
    }
    await page.locator('[data-step="think"]').click();
    expect(await page.getByTestId("task-log").textContent()).toContain("Waiting 6000 ms");
    await page.locator('[data-step="hello"]').click();
    expect(await page.getByTestId("task-log").textContent()).toContain(`Creating ${name} for group:default/team-platform`);
    // publish:github's remoteUrl is the clone URL, as in Backstage.
    expect(await page.getByRole("link", { name: "Repository" }).getAttribute("href")).toBe(`https://github.com/brightcart/${name}.git`);
    await screenshot(page, "scaffolder-07-done", true);

    await page.getByRole("link", { name: "Open in catalog" }).click();
    await page.waitForURL(new RegExp(`/catalog/default/component/${name}$`));
    await page.getByRole("heading", { level: 1, name }).waitFor();
    await page.getByText("Made in the browser test").first().waitFor();
    await screenshot(page, "scaffolder-08-entity");

    // And it is in my tasks.
    await page.goto("/create/tasks");
    await page.getByTestId("task-list").getByText("Browser-test service").first().waitFor();
    await page.close();
  });

  it("loads the form's schema code with the form only, in at most two files beyond the initial bundle, and the validator after its first render", async () => {
    // Strings that survive minification: one from @cfworker/json-schema, one from contract/template-params.
    const [validatorMarker, contractMarker] = ["Unresolved $ref", "Incomplete repository location"];
    const html = await (await fetch(`${baseURL}/create`)).text();
    const initial = new Set([...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+\.js)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+\.js)"/g)].map((m) => m[1]!));
    const scriptsOf = async (path: string, ready: (page: Page) => Promise<unknown>) => {
      const page = await browser.newPage();
      await page.goto(path);
      await ready(page);
      const urls = await page.evaluate(() => performance.getEntriesByType("resource").map((e) => new URL(e.name).pathname).filter((p) => p.startsWith("/assets/") && p.endsWith(".js")));
      await page.close();
      const lazy = [...new Set(urls)].filter((u) => !initial.has(u));
      return Promise.all(lazy.map(async (u) => ({ url: u, text: await (await fetch(`${baseURL}${u}`)).text() })));
    };
    const list = await scriptsOf("/create", (p) => p.getByTestId("template-list").locator("li.template-card").first().waitFor());
    const tasks = await scriptsOf("/create/tasks", (p) => p.getByRole("heading", { level: 1 }).waitFor());
    for (const { url, text } of [...list, ...tasks]) for (const m of [validatorMarker, contractMarker]) expect(text.includes(m), `${url} has "${m}"`).toBe(false);
    // A deep link: each file past the initial bundle is one more request before the first step can render.
    // The validator is not one of them (that render does not run it): it is requested after, and a field typed
    // into at once is still checked as you type (validateStep runs the schema pass first, so no message shows
    // before the validator is in).
    const page = await browser.newPage();
    await page.goto("/create/templates/default/kitchen-sink");
    await page.getByTestId("step-0").waitFor();
    await page.getByLabel("Name").fill("-bad-");
    await page.getByText(/^Must start and end with an alphanumeric character/).waitFor();
    const { before, after } = await page.evaluate(() => {
      const t = performance.getEntriesByName("edgestage:template-form")[0]!.startTime;
      const js = performance.getEntriesByType("resource").filter((e) => /^\/assets\/.*\.js$/.test(new URL(e.name).pathname));
      const paths = (l: PerformanceEntry[]) => l.map((e) => new URL(e.name).pathname);
      return { before: paths(js.filter((e) => e.startTime < t)), after: paths(js.filter((e) => e.startTime >= t)) };
    });
    await page.close();
    const textOf = async (u: string) => ({ url: u, text: await (await fetch(`${baseURL}${u}`)).text() });
    const firstRender = await Promise.all([...new Set(before)].filter((u) => !initial.has(u)).map(textOf));
    const afterwards = await Promise.all([...new Set(after)].map(textOf));
    expect(firstRender.length, firstRender.map((f) => f.url).join(", ")).toBeLessThanOrEqual(2);
    expect(firstRender.some((f) => f.text.includes(contractMarker))).toBe(true);
    expect(firstRender.some((f) => f.text.includes(validatorMarker)), firstRender.map((f) => f.url).join(", ")).toBe(false);
    expect(afterwards.some((f) => f.text.includes(validatorMarker)), afterwards.map((f) => f.url).join(", ")).toBe(true);
    // The form's chunk asks V8 to compile it while it streams in (vite.config.ts compileHints); the validator's does not.
    const hint = "//# allFunctionsCalledOnLoad\n";
    expect(firstRender.find((f) => f.text.includes(contractMarker))!.text.startsWith(hint)).toBe(true);
    expect(afterwards.find((f) => f.text.includes(validatorMarker))!.text.startsWith(hint)).toBe(false);
  });

  it("a deep link's first frame of the app is the template's form itself, never the shell around a loading skeleton", async () => {
    const page = await browser.newPage();
    const appFrames = await recordAppFrames(page, { form: "[data-testid=step-0]", skeleton: "#root [aria-busy=true]" });
    await page.goto("/create/templates/default/kitchen-sink");
    await page.getByTestId("step-0").waitFor();
    const frames = await appFrames();
    expect(frames[0]).toEqual({ form: true, skeleton: false });
    expect(frames.some((f) => f.skeleton)).toBe(false);
    await page.close();
  });

  it("asks the catalog for tag suggestions only once the tags box is focused", async () => {
    const page = await browser.newPage();
    const facets: string[] = [];
    page.on("request", (r) => {
      if (r.url().includes("/api/catalog/entity-facets")) facets.push(r.url());
    });
    await page.goto("/create/templates/default/kitchen-sink");
    await page.getByTestId("step-0").waitFor();
    await page.waitForLoadState("networkidle");
    expect(facets).toEqual([]);
    const asked = page.waitForRequest((r) => r.url().includes("/api/catalog/entity-facets") && r.url().includes("metadata.tags"));
    await page.getByLabel("Tags", { exact: true }).focus();
    await asked;
    await page.locator("datalist#field-tags-known option").first().waitFor({ state: "attached" });
    await page.close();
  });
});
