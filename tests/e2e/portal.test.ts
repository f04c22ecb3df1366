/**
 * Journeys through the portal against the real worker (`wrangler dev`, demo catalog loaded by
 * global-setup.ts). Assertions are on roles, text and URLs; every journey leaves a screenshot.
 */
import type { Page } from "playwright-core";
import { describe, expect, inject, it } from "vitest";
import { browserForFile, openBrowser, screenshot } from "./browser";

const baseURL = inject("baseURL");
const browser = browserForFile();

async function rows(page: Page) {
  await page.getByTestId("entity-table").locator("tbody tr.entity-row").first().waitFor();
  return page.getByTestId("entity-table").locator("tbody tr.entity-row");
}

describe("portal journeys", () => {
  it("opens home with search, entity counts and recent changes", async () => {
    const page = await browser.newPage();
    await page.goto("/");
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Find anything in your software catalog");
    const counts = page.getByRole("list", { name: "Entities per kind" });
    await counts.waitFor();
    const componentLink = counts.getByRole("link", { name: /Components/ });
    expect(await componentLink.textContent()).toMatch(/\d+\s*Components/);
    await page.locator("#recent .change-row").first().waitFor();
    expect(await page.locator("#recent .change-row").count()).toBeGreaterThan(0);
    await screenshot(page, "01-home");

    await componentLink.click();
    await page.waitForURL(/\/catalog\?kind=component$/);
    await page.close();
  });

  it("filters the catalog with facets, text and sorting, keeping the state in the URL", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog");
    expect(await (await rows(page)).count()).toBeGreaterThan(10);

    await page.locator('[data-facet="kind"]').getByLabel("Component").check();
    await page.waitForURL(/kind=component/);
    await page.waitForFunction(() => [...document.querySelectorAll("tbody tr.entity-row .kind-badge")].every((b) => b.textContent === "Component"));
    const kinds = await page.locator("tbody tr.entity-row .col-kind").allTextContents();
    expect(new Set(kinds)).toEqual(new Set(["Component"]));

    const allComponents = await page.locator("tbody tr.entity-row").count();
    await page.getByTestId("catalog-text-filter").fill("payment");
    await page.waitForURL(/q=payment/);
    // Wait for the filtered page (not the skeleton rows in between).
    await page.waitForFunction((all) => {
      const titles = [...document.querySelectorAll("tbody tr.entity-row .cell-title")].map((e) => e.textContent);
      return titles.includes("Payments service") && titles.length < all;
    }, allComponents);
    const rowText = await page.locator("tbody tr.entity-row .col-name").allTextContents();
    expect(rowText.every((t) => /payment/i.test(t))).toBe(true);
    expect(await page.getByRole("group", { name: "Active filters" }).textContent()).toContain("Kind: Component");

    await page.getByTestId("catalog-text-filter").fill("");
    await page.waitForURL((u) => !u.search.includes("q="));
    await page.getByRole("button", { name: "Name" }).click();
    await page.waitForURL(/order=desc/);
    await page.waitForFunction(() => {
      const t = [...document.querySelectorAll("tbody tr.entity-row .cell-title")].map((e) => e.textContent ?? "");
      return t.length > 1 && t[0]!.localeCompare(t[t.length - 1]!) > 0;
    });
    expect(await page.locator('th[aria-sort="descending"]').textContent()).toContain("Name");
    await screenshot(page, "02-catalog-filtered");
    await page.close();
  });

  it("opens an entity from the catalog and stars it", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog?kind=component");
    await rows(page);
    await page.getByRole("link", { name: "Payments service", exact: true }).click();
    await page.waitForURL("**/catalog/default/component/payments-service");
    const header = page.getByTestId("entity-header");
    expect(await header.getByRole("heading", { level: 1 }).textContent()).toBe("Payments service");
    expect(await header.textContent()).toContain("team-payments");
    await page.locator("#about").getByText("Authorises, captures and refunds").waitFor();
    await page.locator("#relations").getByRole("link", { name: "Payments API" }).waitFor();

    await header.getByRole("button", { name: "Star Payments service" }).click();
    expect(await header.getByRole("button", { name: "Unstar Payments service" }).getAttribute("aria-pressed")).toBe("true");
    expect(await page.evaluate(() => localStorage.getItem("edgestage.starred"))).toContain("component:default/payments-service");
    await screenshot(page, "03-entity-page", true);

    await page.goto("/");
    await page.locator("#starred").getByRole("link", { name: "Payments service" }).waitFor();
    await page.close();
  });

  it("shows the relations graph on the entity page and in the explorer; clicking a node navigates", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog/default/component/payments-service");
    const graph = page.getByTestId("relations-graph");
    await graph.locator("g.graph-node").nth(2).waitFor();
    expect(await graph.locator("g.graph-node.is-root").getAttribute("data-ref")).toBe("component:default/payments-service");
    expect(await graph.locator("g.graph-node").count()).toBeGreaterThan(3);
    await screenshot(page, "04-entity-graph");

    await graph.locator('g.graph-node[data-ref="group:default/team-payments"]').click();
    await page.waitForURL("**/catalog/default/group/team-payments");
    expect(await page.getByTestId("entity-header").getByRole("heading", { level: 1 }).textContent()).toBe("Payments team");

    await page.goto("/graph?root=system:default/checkout");
    const explorer = page.getByTestId("relations-graph");
    await explorer.locator("g.graph-node").nth(3).waitFor();
    await page.getByRole("group", { name: "Depth" }).getByRole("button", { name: "1" }).click();
    await page.waitForURL(/depth=1/);
    await page.getByLabel("Ownership").uncheck();
    await page.waitForURL(/relations=/);
    await explorer.locator('g.graph-node[data-ref="api:default/payments-api"]').click();
    await page.waitForURL(/root=api%3Adefault%2Fpayments-api|root=api:default\/payments-api/);
    await explorer.locator('g.graph-node.is-root[data-ref="api:default/payments-api"]').waitFor();
    await screenshot(page, "05-graph-explorer");
    await page.close();
  });

  it("searches with typeahead and shows grouped, highlighted results", async () => {
    const page = await browser.newPage();
    await page.goto("/");
    const box = page.getByTestId("home-search").getByRole("combobox");
    await box.fill("payments");
    const options = page.getByTestId("home-search").getByRole("option");
    await options.first().waitFor();
    expect(await options.count()).toBeGreaterThan(1);
    expect(await page.getByTestId("home-search").locator("mark").count()).toBeGreaterThan(0);
    await screenshot(page, "08-search-typeahead");

    await box.press("Enter");
    await page.waitForURL(/\/search\?q=payments/);
    const results = page.getByTestId("search-results");
    await results.locator(".search-result").first().waitFor();
    const groups = await results.locator(".search-group-title").allTextContents();
    expect(groups.length).toBeGreaterThan(1);
    expect(await results.locator("mark").count()).toBeGreaterThan(0);
    await screenshot(page, "09-search-results");

    await page.getByTestId("search-page-input").fill("orders");
    await page.waitForURL(/q=orders/);
    await results.getByRole("link", { name: /Orders API/ }).first().waitFor();

    await page.goto("/catalog");
    // The shell (and its "/" shortcut) renders once the session is known: wait for it, not for the load event.
    await page.getByTestId("global-search").waitFor();
    await page.keyboard.press("/");
    const global = page.getByTestId("global-search").getByRole("combobox");
    expect(await global.evaluate((el) => el === document.activeElement)).toBe(true);
    await global.fill("payments-serv");
    await page.getByTestId("global-search").getByRole("option").first().waitFor();
    await global.press("ArrowDown");
    await global.press("Enter");
    await page.waitForURL("**/catalog/default/component/payments-service");
    await page.close();
  });

  it("switches between light and dark themes and remembers the choice", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog");
    const before = await page.evaluate(() => document.documentElement.dataset.theme);
    expect(before).toBe("light");
    await page.getByTestId("theme-toggle").click();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    const bg = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(bg).not.toBe("rgb(246, 247, 249)");
    await page.reload();
    expect(await page.evaluate(() => document.documentElement.dataset.theme)).toBe("dark");
    await rows(page);
    await screenshot(page, "10-theme-dark");
    await page.goto("/catalog/default/component/payments-service");
    await page.getByTestId("relations-graph").locator("g.graph-node").nth(2).waitFor();
    await screenshot(page, "11-entity-dark");
    await page.getByTestId("theme-toggle").click();
    expect(await page.evaluate(() => localStorage.getItem("edgestage.theme"))).toBe("light");
    await page.close();
  });

  it("follows deep links straight into filtered views and entity tabs", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog?kind=api&lifecycle=production&sort=name&order=desc");
    await rows(page);
    expect(await page.locator('[data-facet="kind"]').getByLabel("API").isChecked()).toBe(true);
    expect(await page.locator('[data-facet="lifecycle"]').getByLabel("production").isChecked()).toBe(true);
    const kinds = await page.locator("tbody tr.entity-row .col-kind").allTextContents();
    expect(new Set(kinds)).toEqual(new Set(["API"]));
    const lifecycles = await page.locator("tbody tr.entity-row .col-lifecycle").allTextContents();
    expect(new Set(lifecycles)).toEqual(new Set(["production"]));
    await screenshot(page, "12-deep-link-catalog");

    await page.goto("/catalog/default/api/orders-api?tab=yaml");
    await page.getByTestId("yaml-view").waitFor();
    expect(await page.getByTestId("yaml-view").textContent()).toContain("apiVersion");
    await page.goto("/catalog/default/component/payments-service?tab=history");
    await page.getByTestId("change-history").locator(".timeline-item").first().waitFor();
    await screenshot(page, "13-deep-link-history");
    await page.close();
  });

  it("shows a 404 with suggestions for an unknown entity, and one for unknown pages", async () => {
    const page = await browser.newPage();
    await page.goto("/catalog/default/component/payments-servce");
    const notFound = page.getByTestId("entity-not-found");
    await notFound.waitFor();
    expect(await notFound.getByRole("heading", { level: 1 }).textContent()).toContain("payments-servce");
    await notFound.getByTestId("not-found-suggestions").getByRole("link").first().waitFor();
    expect(await notFound.getByTestId("not-found-suggestions").textContent()).toContain("Payments service");
    await screenshot(page, "14-entity-404");

    await notFound.getByTestId("not-found-suggestions").getByRole("link", { name: /Payments service/ }).click();
    await page.waitForURL("**/catalog/default/component/payments-service");

    await page.goto("/no/such/page");
    await page.getByTestId("page-not-found").waitFor();
    await page.close();
  });
});

describe("small screens", () => {
  it("works at 360px: drawer navigation, filters panel and a readable table", async () => {
    const small = await openBrowser(baseURL, { width: 360, height: 740 });
    try {
      const page = await small.newPage();
      await page.goto("/");
      await page.getByRole("list", { name: "Entities per kind" }).waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await screenshot(page, "15-mobile-home");
      await page.getByRole("button", { name: "Open navigation" }).click();
      await page.getByRole("navigation", { name: "Main" }).getByRole("link", { name: "Catalog" }).click();
      await page.waitForURL("**/catalog");
      await rows(page);
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await page.getByRole("button", { name: /Filters/ }).click();
      await page.locator('[data-facet="kind"]').getByLabel("System").check();
      await page.waitForURL(/kind=system/);
      await page.getByRole("button", { name: "Close filters" }).click();
      await page.waitForFunction(() => document.querySelectorAll("tbody tr.entity-row .kind-system").length > 0);
      await screenshot(page, "16-mobile-catalog");
      await page.goto("/catalog/default/component/payments-service");
      await page.getByTestId("entity-header").waitFor();
      expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
      await screenshot(page, "17-mobile-entity");
    } finally {
      await small.close();
    }
  });
});
