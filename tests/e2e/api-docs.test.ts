/**
 * The api-docs plugin in the real portal (demo catalog): the Definition tab for OpenAPI, AsyncAPI, GraphQL
 * and gRPC APIs, the APIs card on a component, and the /api-docs explorer with its filters. Screenshots in
 * test-results/screenshots/api-docs-*.png.
 */
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { browserForFile, screenshot } from "./browser";

const browser = browserForFile();

async function explorerRefs(page: Page): Promise<string[]> {
  return page.getByTestId("api-explorer-row").evaluateAll((rows) => rows.map((r) => r.getAttribute("data-ref") ?? ""));
}

describe("api-docs plugin", () => {
  it("shows an OpenAPI definition: operations by tag, parameters, schemas resolved in place, examples", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog/default/api/payments-api");
    await page.getByTestId("tab-definition").click();
    await page.waitForURL(/tab=definition/);
    const view = page.getByTestId("openapi-view");
    await view.waitFor();
    expect(await view.getByRole("heading", { level: 2 }).textContent()).toBeTruthy();
    const ops = view.getByTestId("api-operation");
    expect(await ops.count()).toBeGreaterThan(1);
    expect(await view.getByTestId("api-server").count()).toBeGreaterThan(0);

    // An operation with a request body: its schema reads as properties, not a bare $ref.
    const post = ops.filter({ has: page.locator(".method-post") }).first();
    await post.locator("summary").click();
    await post.getByRole("heading", { name: /Request body/ }).waitFor();
    await post.getByRole("heading", { name: "Responses" }).waitFor();
    expect(await post.getByTestId("schema-prop").count()).toBeGreaterThan(0);
    expect(await post.getByTestId("api-example").count()).toBeGreaterThan(0);

    await view.getByRole("searchbox", { name: "Filter operations" }).fill("zz-no-such-operation");
    await view.getByText(/No operations match/).waitFor();
    await view.getByRole("searchbox", { name: "Filter operations" }).fill("");
    await post.scrollIntoViewIfNeeded();
    await screenshot(page, "api-docs-openapi", true);
    await page.close();
  });

  it("shows an AsyncAPI definition: channels, operations, message payloads", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog/default/api/order-events?tab=definition");
    const view = page.getByTestId("asyncapi-view");
    await view.getByTestId("asyncapi-channel").first().waitFor();
    expect(await view.getByTestId("asyncapi-channel").count()).toBe(4);
    expect(await view.textContent()).toContain("orders.v1.created");
    const op = view.getByTestId("asyncapi-operation").first();
    if (!(await op.evaluate((d) => (d as HTMLDetailsElement).open))) await op.locator("summary").click();
    await op.getByTestId("asyncapi-message").first().waitFor();
    expect(await op.getByTestId("schema-prop").count()).toBeGreaterThan(0);
    await screenshot(page, "api-docs-asyncapi", true);
    await page.close();
  });

  it("shows a GraphQL schema: queries, mutations, types linked, the SDL on demand", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog/default/api/product-catalog-graphql?tab=definition");
    const view = page.getByTestId("graphql-view");
    await view.getByTestId("gql-queries").waitFor();
    expect(await view.getByTestId("gql-queries").getByTestId("gql-field").count()).toBeGreaterThan(1);
    expect(await view.getByTestId("gql-mutations").textContent()).toContain("setPrice");
    expect(await view.textContent()).toContain("type Product");
    await view.getByRole("navigation", { name: "Types" }).getByRole("link", { name: /Product$/ }).first().waitFor();
    await view.getByRole("button", { name: "Show SDL" }).click();
    await view.getByRole("region", { name: "GraphQL schema" }).or(view.locator("pre.graphql-code")).first().waitFor();
    await view.getByRole("button", { name: "Hide SDL" }).click();
    await screenshot(page, "api-docs-graphql", true);
    await page.close();
  });

  it("shows a gRPC definition: services, rpcs with streaming, messages and enums", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog/default/api/fraud-scoring-grpc?tab=definition");
    const view = page.getByTestId("proto-view");
    await view.getByTestId("proto-service").waitFor();
    expect(await view.getByTestId("proto-rpc").count()).toBe(3);
    expect(await view.getByTestId("proto-enum").count()).toBe(2);
    expect(await view.textContent()).toContain("ScorePaymentRequest");
    await screenshot(page, "api-docs-grpc");
    await page.close();
  });

  it("lists a component's provided and consumed APIs on its overview", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog/default/component/payments-service");
    const card = page.getByTestId("api-docs-card");
    await card.getByTestId("api-card-item").first().waitFor();
    await card.getByText("openapi").waitFor();
    expect(await card.textContent()).toMatch(/Provides.*Payments API.*Consumes.*Fraud scoring/s);
    // The plugin's card stands in for the core APIs card (replaces: "apis"): one APIs card, not two.
    expect((await page.locator("h2").allTextContents()).filter((t) => t.startsWith("APIs"))).toHaveLength(1);
    await card.getByRole("link", { name: "Payments API" }).click();
    await page.waitForURL(/\/catalog\/default\/api\/payments-api\?tab=definition/);
    await page.getByTestId("openapi-view").waitFor();
    await page.close();
  });

  it("explores every API from the sidebar, filtering by type, owner, lifecycle and text in the URL", async () => {
    const page = await browser.newPage();
    await page.goto("/");
    await page.getByRole("navigation").getByRole("link", { name: "APIs" }).first().click();
    await page.waitForURL(/\/api-docs$/);
    const table = page.getByTestId("api-explorer-table");
    await table.waitFor();
    const all = await explorerRefs(page);
    expect(all.length).toBeGreaterThanOrEqual(9);
    expect(all).toContain("api:default/payments-api");
    const payments = table.locator('[data-ref="api:default/payments-api"]');
    expect(await payments.textContent()).toMatch(/openapi.*team-payments.*production.*payments-service/s);
    await screenshot(page, "api-docs-explorer");

    await page.getByTestId("api-filter-type").selectOption("graphql");
    await page.waitForURL(/type=graphql/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="api-explorer-row"]').length === 1);
    expect(await explorerRefs(page)).toEqual(["api:default/product-catalog-graphql"]);

    await page.getByTestId("api-filter-type").selectOption("");
    await page.getByTestId("api-filter-owner").selectOption("team-payments");
    await page.getByTestId("api-filter-lifecycle").selectOption("deprecated");
    await page.waitForURL(/lifecycle=deprecated/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="api-explorer-row"]').length === 1);
    expect(await explorerRefs(page)).toEqual(["api:default/legacy-billing-api"]);

    await page.getByTestId("api-filter-lifecycle").selectOption("");
    await page.getByTestId("api-filter-owner").selectOption("");
    await page.getByTestId("api-filter-text").fill("kafka");
    await page.waitForURL(/q=kafka/);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="api-explorer-row"]').length === 1);
    expect(await explorerRefs(page)).toEqual(["api:default/order-events"]);
    await screenshot(page, "api-docs-explorer-filtered");

    // A filtered view is a link; one that matches nothing says so and offers the way back.
    await page.goto("/api-docs?q=no-such-api-anywhere");
    await page.getByText("No APIs match these filters").waitFor();
    await page.getByRole("button", { name: "Clear filters" }).first().click();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="api-explorer-row"]').length === n, all.length);
    await page.close();
  });
});
