/**
 * TechDocs in Chromium against the real worker: a local docs folder (the fake GitHub's TechDocs repository
 * written to disk) goes through `npm run catalog:load`, which uploads its docs; then the reader (nav, page,
 * TOC, highlighted code under the portal's CSP, images through the worker, in-docs search), the XSS page
 * (nothing runs), the entity's Docs tab, the docs index with its filters, and docs in the global search and typeahead.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { techdocsRepoFiles } from "../fake-github/techdocs-repo.mjs";
import { type Browser, openBrowser, recordAppFrames, screenshot } from "./browser";

const baseURL = inject("baseURL");
const run = promisify(execFile);
const NAME = "e2e-docs";
const READER = `/docs/default/component/${NAME}`;
/** A second site whose mkdocs.yml names a page that is not there: its build problem shows on the entity page. */
const BROKEN = "e2e-broken-docs";

let browser: Browser;
let dir: string;
let brokenDir: string;

function writeSite(root: string, files: Record<string, string | Uint8Array>) {
  for (const [path, content] of Object.entries(files)) {
    mkdirSync(dirname(join(root, path)), { recursive: true });
    writeFileSync(join(root, path), content);
  }
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "techdocs-e2e-"));
  writeSite(dir, techdocsRepoFiles(NAME, { owner: "team-docs" }));
  const { stdout } = await run("node", ["scripts/catalog-load.mjs", dir, "--url", baseURL, "--token", "e2e-token"], { env: { ...process.env, INIT_CWD: "" } });
  if (!stdout.includes(`✓ component:default/${NAME}: 4 page(s) rendered`)) throw new Error(`docs upload did not build:\n${stdout}`);
  brokenDir = mkdtempSync(join(tmpdir(), "techdocs-e2e-broken-"));
  // Its own one page, so the searches below still find only the first site.
  writeSite(brokenDir, {
    "catalog-info.yaml": techdocsRepoFiles(BROKEN, { owner: "team-docs" })["catalog-info.yaml"]!,
    "mkdocs.yml": "site_name: Broken handbook\nnav:\n  - Home: index.md\n  - Gone: missing.md\n",
    "docs/index.md": "# Broken handbook\n\nOne page, and a nav entry without one.\n",
  });
  const loaded = await run("node", ["scripts/catalog-load.mjs", brokenDir, "--url", baseURL, "--token", "e2e-token"], { env: { ...process.env, INIT_CWD: "" } }).catch((err: { stdout?: string }) => ({ stdout: err.stdout ?? "" }));
  if (!loaded.stdout.includes("NavError")) throw new Error(`broken docs upload did not report its problem:\n${loaded.stdout}`);
  browser = await openBrowser(baseURL);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  rmSync(dir, { recursive: true, force: true });
  if (brokenDir) rmSync(brokenDir, { recursive: true, force: true });
});

describe("techdocs reader", () => {
  it("shows the site's nav, the page, its TOC and highlighted code; nav links navigate in the portal", async () => {
    const page = await browser.newPage();
    await page.goto(`${READER}/`);
    const content = page.getByTestId("techdocs-content");
    await content.getByRole("heading", { level: 1, name: `${NAME} handbook` }).waitFor();
    const nav = page.getByTestId("techdocs-nav");
    expect(await nav.getByText("Guides").isVisible()).toBe(true);
    expect(await content.getByText("Heads up").isVisible()).toBe(true);
    expect(await page.getByRole("complementary", { name: "On this page" }).getByText("Ownership").isVisible()).toBe(true);
    // The image is served by the worker (same origin, allowed by the CSP) and decodes.
    await page.waitForFunction(() => {
      const img = document.querySelector<HTMLImageElement>('.techdocs-content img[alt="Logo"]');
      return !!img && img.complete && img.naturalWidth === 1;
    });
    await screenshot(page, "techdocs-01-reader-home");

    await nav.getByRole("link", { name: "Setup" }).click();
    await page.waitForURL(`**${READER}/guides/setup`);
    await content.getByRole("heading", { level: 1, name: "Setup" }).waitFor();
    // Token colors come from the worker's stylesheet (class-based: inline styles would be refused by the CSP).
    await page.waitForFunction(() => {
      const token = document.querySelector(".techdocs-content pre.highlighted span[class*='t-l-']");
      return !!token && getComputedStyle(token).color !== getComputedStyle(document.querySelector(".techdocs-content pre")!).color;
    });
    expect(await page.getByRole("link", { name: "Home" }).first().isVisible()).toBe(true);
    // A relative link inside the page is a reader route.
    await content.getByRole("link", { name: "home" }).click();
    await page.waitForURL(`**${READER}/`);
    await screenshot(page, "techdocs-02-reader-after-navigation");
    await page.close();
  });

  it("a deep link's site and page arrive with the HTML (the worker answers them), so the reader fetches neither", async () => {
    const page = await browser.newPage();
    const reads: string[] = [];
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith("/api/")) reads.push(u.pathname + u.search);
    });
    const res = await page.goto(`${READER}/guides/setup`);
    await page.getByTestId("techdocs-content").getByRole("heading", { name: "Setup", level: 1 }).waitFor();
    const site = `/api/plugins/techdocs/sites/default/component/${NAME}`;
    const html = await res!.text();
    expect(html).toContain(`data-read="${site}"`);
    expect(html).toContain(`data-read="${site}/page?path=guides%2Fsetup"`);
    expect(reads.filter((r) => r === site || r.startsWith(`${site}/page`) || r === "/api/auth/session")).toEqual([]);
    await page.close();
  });

  it("puts the header and the page on screen in one render, and the nav and table of contents in a later frame", async () => {
    const page = await browser.newPage();
    // What the reader looked like after each task that changed the DOM (a MutationObserver's callback runs
    // once per task, after that task's changes).
    await page.addInitScript(() => {
      const states: { header: boolean; content: boolean; nav: number; toc: number }[] = [];
      (window as unknown as { readerStates: typeof states }).readerStates = states;
      new MutationObserver(() => {
        if (!document.querySelector(".techdocs-header")) return;
        const state = {
          header: true,
          content: !!document.querySelector("[data-testid=techdocs-content] h1"),
          nav: document.querySelectorAll("[data-testid=techdocs-nav] a").length,
          toc: document.querySelectorAll(".techdocs-toc a").length,
        };
        const last = states[states.length - 1];
        if (!last || JSON.stringify(last) !== JSON.stringify(state)) states.push(state);
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto(`${READER}/guides/setup`);
    await page.getByTestId("techdocs-nav").getByRole("link", { name: "Setup" }).waitFor();
    const states = await page.evaluate(() => (window as unknown as { readerStates: unknown[] }).readerStates);
    expect(states[0]).toEqual({ header: true, content: true, nav: 0, toc: 0 });
    expect(states.at(-1)).toMatchObject({ content: true, nav: expect.any(Number), toc: expect.any(Number) });
    const last = states.at(-1) as { nav: number; toc: number };
    expect(last.nav).toBeGreaterThan(2);
    expect(last.toc).toBeGreaterThan(0);
    await page.close();
  });

  it("a deep link's first frame of the app is the docs page itself, never the shell around a loading skeleton", async () => {
    const page = await browser.newPage();
    const appFrames = await recordAppFrames(page, { page: "[data-testid=techdocs-content] h1", skeleton: "#root [aria-busy=true]" });
    await page.goto(`${READER}/guides/setup`);
    await page.getByTestId("techdocs-nav").getByRole("link", { name: "Setup" }).waitFor();
    const frames = await appFrames();
    expect(frames[0]).toEqual({ page: true, skeleton: false });
    expect(frames.some((f) => f.skeleton)).toBe(false);
    await page.close();
  });

  it("says when an entity has no docs, and when a page is not in its site (with the site's nav to go on)", async () => {
    const page = await browser.newPage();
    await page.goto("/docs/default/component/e2e-no-such-docs/");
    const error = page.getByTestId("techdocs-error");
    await error.getByRole("heading", { name: "No docs for this entity yet" }).waitFor();
    expect(await page.getByTestId("plugin-error").count()).toBe(0);
    await page.goto(`${READER}/no/such/page`);
    await error.getByRole("heading", { name: "Page not found" }).waitFor();
    expect(await error.getByText("No page 'no/such/page'").isVisible()).toBe(true);
    await page.getByTestId("techdocs-nav").getByRole("link", { name: "Setup" }).click();
    await page.getByTestId("techdocs-content").getByRole("heading", { level: 1, name: "Setup" }).waitFor();
    expect(await error.count()).toBe(0);
    await screenshot(page, "techdocs-10-page-not-found-then-nav");
    await page.close();
  });

  it("renders the XSS page inert: nothing runs, nothing executable is in the DOM", async () => {
    const page = await browser.newPage();
    await page.goto(`${READER}/xss`);
    await page.getByTestId("techdocs-content").getByText("Harmless text survives.").waitFor();
    await page.waitForTimeout(300);
    expect(await page.evaluate(() => (window as unknown as { __xss?: number }).__xss)).toBeUndefined();
    const found = await page.evaluate(() => {
      const root = document.querySelector(".techdocs-content")!;
      return {
        dangerous: root.querySelectorAll("script, iframe, form, input, svg, object, embed, style, [style]").length,
        handlers: [...root.querySelectorAll("*")].filter((el) => [...el.attributes].some((a) => a.name.startsWith("on"))).length,
        jsLinks: [...root.querySelectorAll("a[href], img[src]")].filter((el) => /^\s*(javascript|data):/i.test(el.getAttribute("href") ?? el.getAttribute("src") ?? "")).length,
      };
    });
    expect(found).toEqual({ dangerous: 0, handlers: 0, jsLinks: 0 });
    await screenshot(page, "techdocs-03-xss-page");
    await page.close();
  });

  it("searches inside one entity's docs with highlighted snippets", async () => {
    const page = await browser.newPage();
    await page.goto(`${READER}/`);
    await page.getByTestId("techdocs-content").getByRole("heading", { level: 1 }).waitFor();
    await page.getByTestId("techdocs-search").fill("zorblax");
    const results = page.getByTestId("techdocs-search-results");
    await results.getByText("Configuration").waitFor();
    expect(await results.locator("mark").first().textContent()).toMatch(/zorblax/i);
    await screenshot(page, "techdocs-04-in-docs-search");
    await results.getByRole("link").first().click();
    await page.waitForURL(`**${READER}/guides/setup#configuration`);
    await page.close();
  });
});

describe("techdocs in the portal", () => {
  it("shows a Docs tab on the entity page", async () => {
    const page = await browser.newPage();
    await page.goto(`/catalog/default/component/${NAME}`);
    await page.getByTestId("tab-docs").click();
    await page.waitForURL(/\?tab=docs/);
    const tab = page.getByTestId("techdocs-tab");
    await tab.getByTestId("techdocs-content").getByRole("heading", { level: 1, name: `${NAME} handbook` }).waitFor();
    await screenshot(page, "techdocs-05-entity-docs-tab");
    // Entities without the annotation have no Docs tab.
    await page.goto("/catalog/default/api/payments-api");
    await page.getByTestId("tab-overview").waitFor();
    expect(await page.getByTestId("tab-docs").count()).toBe(0);
    await page.close();
  });

  it("shows a docs build failure as a processing error on the entity page, named as TechDocs'", async () => {
    const page = await browser.newPage();
    await page.goto(`/catalog/default/component/${BROKEN}`);
    const banner = page.getByTestId("processing-errors");
    await banner.waitFor();
    const item = banner.locator('li[data-source="plugin:techdocs"]');
    expect(await item.textContent()).toContain("NavError");
    expect(await item.textContent()).toContain("nav entry 'missing.md' names a page that is not in docs/");
    expect(await item.locator(".banner-source").textContent()).toBe("TechDocs");
    expect(await banner.getByRole("heading", { level: 2 }).textContent()).toBe("1 processing error reported by TechDocs");
    await screenshot(page, "techdocs-09-entity-docs-build-error");
    // The healthy site's entity has no banner.
    await page.goto(`/catalog/default/component/${NAME}`);
    await page.getByTestId("tab-overview").waitFor();
    await page.getByTestId("techdocs-card").waitFor();
    expect(await page.getByTestId("processing-errors").count()).toBe(0);
    await page.close();
  });

  it("shows docs pages in the global search and the typeahead, grouped, with the heading and a highlighted snippet", async () => {
    const page = await browser.newPage();
    await page.goto("/search?q=zorblax");
    const docs = page.getByTestId("search-docs-techdocs");
    await docs.getByRole("link", { name: "Setup › Configuration" }).waitFor();
    // Only docs match: they are the results, with no "No results" above them.
    expect(await page.getByText("No results for").count()).toBe(0);
    expect(await docs.getByRole("heading", { level: 2 }).textContent()).toContain("Docs");
    expect(await docs.locator("mark").first().textContent()).toMatch(/zorblax/i);
    await screenshot(page, "techdocs-07-global-search-with-docs");
    await docs.getByRole("link", { name: "Setup › Configuration" }).click();
    await page.waitForURL(`**${READER}/guides/setup#configuration`);
    // Nothing matches anywhere: the empty state is there.
    await page.goto("/search?q=qwxzvnomatchanywhere");
    await page.getByText("No results for").waitFor();
    expect(await page.getByTestId("search-docs-techdocs").count()).toBe(0);

    await page.goto("/");
    const box = page.getByRole("combobox").first();
    await box.fill("gigawatts");
    const suggestions = page.getByTestId("suggest-docs-techdocs");
    await suggestions.getByText(`${NAME} handbook`).first().waitFor();
    await screenshot(page, "techdocs-08-typeahead-with-docs");
    await page.close();
  });

  it("lists every documented entity at /docs, filterable by owner and kind", async () => {
    const page = await browser.newPage();
    await page.goto("/docs");
    const index = page.getByTestId("techdocs-index");
    await index.getByRole("link", { name: `${NAME} handbook` }).waitFor();
    expect(await index.getByRole("link", { name: "Payments service" }).isVisible()).toBe(true);
    await screenshot(page, "techdocs-06-docs-index");
    await page.getByTestId("techdocs-filter-owner").selectOption("team-docs");
    await page.waitForURL(/owner=team-docs/);
    expect(await index.getByRole("link", { name: "Payments service" }).count()).toBe(0);
    expect(await index.getByRole("link", { name: `${NAME} handbook` }).isVisible()).toBe(true);
    await page.close();
  });
});
