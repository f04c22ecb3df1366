/**
 * The portal's plugin host in Chromium against the real worker: sidebar entries, routed plugin pages, entity
 * tabs and cards only where their predicate holds, the installed-plugins page, and failing plugins kept in
 * their own slot.
 *
 * The plugins here are test-only fixtures (tests/fixtures/web-plugins), so no hostile plugin ever ships: this
 * file builds its own copy of the portal with them (the shipped build and dist/ are untouched), and the
 * browser gets that copy's HTML and assets from disk through request interception while every /api call
 * goes to the real `wrangler dev` the global setup started. The shipped CSP header is applied to what is
 * served, and one fixture chunk is answered with a 404 to play a chunk that fails to load.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { extname, join } from "node:path";
import type { Page, Route } from "playwright-core";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { buildWithFixturePlugins } from "../fixtures/web-plugins/build";
import { type Browser, describeViolations, openBrowser, screenshot, seriousViolations } from "./browser";

const baseURL = inject("baseURL");
const OUT = "test-results/portal-with-fixture-plugins";
const TYPES: Record<string, string> = { ".js": "text/javascript", ".css": "text/css", ".svg": "image/svg+xml", ".html": "text/html", ".json": "application/json" };

let browser: Browser;
let lostChunk: string;
let chunkIsLost = true;
let csp: string;

function serveFixturePortal(route: Route): Promise<void> {
  const url = new URL(route.request().url());
  if (url.origin !== baseURL || url.pathname.startsWith("/api/")) return route.continue();
  if (chunkIsLost && url.pathname === `/${lostChunk}`) return route.fulfill({ status: 404, contentType: "text/plain", body: "gone" });
  const file = join(OUT, decodeURIComponent(url.pathname));
  const asset = url.pathname !== "/" && existsSync(file) && statSync(file).isFile();
  const path = asset ? file : join(OUT, "index.html");
  return route.fulfill({
    status: 200,
    headers: { "content-type": TYPES[extname(path)] ?? "application/octet-stream", "content-security-policy": csp, "x-content-type-options": "nosniff" },
    body: readFileSync(path),
  });
}

beforeAll(async () => {
  const output = await buildWithFixturePlugins({ outDir: OUT });
  const chunk = output.output.find((o) => o.type === "chunk" && o.moduleIds.some((id) => id.endsWith("LostChunkTab.tsx")));
  if (!chunk) throw new Error("the fixture build has no LostChunkTab chunk");
  lostChunk = chunk.fileName;
  csp = /Content-Security-Policy: (.+)/.exec(readFileSync("web/public/_headers", "utf8"))![1]!.trim();
  browser = await openBrowser(baseURL);
  await browser.context.route("**/*", serveFixturePortal);
}, 180_000);

afterAll(async () => {
  await browser?.close();
});

async function entityPage(path: string): Promise<Page> {
  const page = await browser.newPage();
  await page.goto(path);
  await page.getByRole("heading", { level: 1 }).waitFor();
  return page;
}

describe("plugins in the portal", () => {
  it("lists each plugin page in the sidebar and routes it, lazily, at its path and below", async () => {
    const page = await browser.newPage();
    const scripts: string[] = [];
    page.on("request", (r) => r.resourceType() === "script" && scripts.push(new URL(r.url()).pathname));
    await page.goto("/");
    const nav = page.getByTestId("plugin-nav");
    const entry = nav.getByRole("link", { name: "Fixture radar" });
    await entry.waitFor();
    const links = await nav.getByRole("link").allTextContents();
    // The shipped plugins' entries, then the fixtures', then the installed-plugins page.
    expect(links.slice(-2)).toEqual(["Fixture radar", "Installed plugins"]);
    // Nothing of the page's own code was loaded before it is opened.
    expect(scripts.some((s) => /RadarPage/.test(s))).toBe(false);
    await screenshot(page, "plugins-01-sidebar");

    await entry.click();
    await page.waitForURL(/\/fixture-radar$/);
    await page.getByTestId("fixture-radar-page").waitFor();
    expect(scripts.some((s) => /RadarPage/.test(s))).toBe(true);
    expect(await entry.getAttribute("aria-current")).toBe("page");
    // Catalog reads through the plugin API, as the signed-in user.
    await page.getByTestId("fixture-radar-count").waitFor();
    expect(Number((await page.getByTestId("fixture-radar-count").textContent())!.split(" ")[0])).toBeGreaterThan(0);
    // Its own API (it has no worker part here) answers with the API's error, shown by the kit's ErrorState.
    await page.getByTestId("fixture-radar-own-error").waitFor();
    expect(await page.getByTestId("fixture-radar-own-error").textContent()).toContain("No route for GET /api/plugins/fixture-radar/blips");
    await screenshot(page, "plugins-02-page");

    await page.goto("/fixture-radar/quadrant/tools");
    await page.getByTestId("fixture-radar-page").waitFor();
    expect(await page.getByTestId("fixture-radar-path").textContent()).toBe("/fixture-radar/quadrant/tools");
    await page.close();
  });

  it("shows an entity tab only on entities its predicate matches", async () => {
    const api = await entityPage("/catalog/default/api/payments-api");
    const tab = api.getByTestId("tab-fixture-api-notes");
    await tab.waitFor();
    expect(await tab.textContent()).toContain("API notes");
    await tab.click();
    await api.waitForURL(/\?tab=fixture-api-notes/);
    await api.getByTestId("fixture-api-notes").waitFor();
    expect(await api.getByTestId("fixture-api-notes").textContent()).toContain("FIXTURE-API-NOTES for payments-api");
    // The Component-only card is not on an API.
    expect(await api.getByText("Fixture owner card").count()).toBe(0);
    await screenshot(api, "plugins-03-api-tab");
    await api.close();

    const component = await entityPage("/catalog/default/component/web-shop");
    await component.getByTestId("tab-overview").waitFor();
    expect(await component.getByTestId("tab-fixture-api-notes").count()).toBe(0);
    // A tab that does not apply is not reachable by URL either: the page falls back to the overview.
    await component.goto("/catalog/default/component/web-shop?tab=fixture-api-notes");
    await component.locator("#about").waitFor();
    expect(await component.getByTestId("fixture-api-notes").count()).toBe(0);
    await component.close();
  });

  it("keeps a plugin that throws, or whose chunk fails to load, in its own slot", async () => {
    const page = await entityPage("/catalog/default/component/web-shop");
    const cards = page.getByTestId("plugin-cards");
    await cards.waitFor();
    // The throwing card shows an error card: the slot's title, the plugin's message, its name and a retry.
    const failed = cards.getByTestId("plugin-error");
    await failed.waitFor();
    expect(await failed.getAttribute("data-plugin")).toBe("fixture-broken");
    const text = await failed.textContent();
    expect(text).toContain("Exploding card could not be shown");
    expect(text).toContain("FIXTURE-THROWS: cannot render web-shop");
    expect(text).toContain("Plugin Fixture broken 0.0.1");
    expect(await failed.getByRole("button", { name: "Try again" }).count()).toBe(1);
    // The other plugin's card and the core page keep working.
    await page.getByTestId("fixture-owner-card").waitFor();
    expect(await page.getByTestId("fixture-owner-card").textContent()).toContain("FIXTURE-OWNER-CARD: owned by");
    expect(await page.locator("#about").getByRole("heading", { name: "About" }).count()).toBe(1);
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toContain("Web shop");
    await screenshot(page, "plugins-04-throwing-card", true);
    await page.waitForLoadState("networkidle");
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);

    // A tab whose chunk 404s: an error card in the tab, the header and tabs still work, and Try again loads it once it is back.
    await page.getByTestId("tab-fixture-lost-chunk").click();
    const lost = page.getByTestId("plugin-tab-fixture-lost-chunk").getByTestId("plugin-error");
    await lost.waitFor();
    expect(await lost.textContent()).toContain("Lost chunk could not be shown");
    await screenshot(page, "plugins-05-lost-chunk");
    chunkIsLost = false;
    await lost.getByRole("button", { name: "Try again" }).click();
    await page.getByTestId("fixture-lost-chunk").waitFor();
    chunkIsLost = true;
    await page.getByTestId("tab-history").click();
    await page.locator("#history").waitFor();
    await page.close();
  });

  it("lists installed plugins with version, description, what they add, permissions and hosts", async () => {
    const page = await browser.newPage();
    await page.goto("/plugins");
    await page.getByRole("heading", { level: 1, name: "Installed plugins" }).waitFor();
    const radar = page.locator('[data-testid="installed-plugin"][data-plugin="fixture-radar"]');
    await radar.waitFor();
    const card = page.locator("#plugin-fixture-radar");
    const text = await card.textContent();
    expect(text).toContain("v0.3.1");
    expect(text).toContain("Test-only plugin: a page, a tab on APIs and a card on components.");
    expect(text).toContain("/fixture-radar");
    expect(text).toContain("API notes on kind API");
    expect(text).toContain("Fixture owner card on kind Component");
    expect(text).toContain("plugin.fixture-radar.write");
    expect(text).toContain("radar.example.com");
    expect(await page.locator('[data-testid="installed-plugin"][data-plugin="fixture-broken"]').textContent()).toContain("None: it reaches no outside host.");
    await screenshot(page, "plugins-06-installed", true);
    await page.waitForLoadState("networkidle");
    const violations = await seriousViolations(page);
    expect(violations, describeViolations(violations)).toEqual([]);
    await card.getByRole("link", { name: "Fixture radar" }).click();
    await page.waitForURL(/\/fixture-radar$/);
    await page.close();
  });
});
