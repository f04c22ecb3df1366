/**
 * How a deep link's first load is ordered (issues 11 and 13: cold-load budgets): what reaches the screen first.
 * Orders, never timings: the budgets themselves are measured by `npm run bench` (scripts/bench/web.mjs).
 */
import { describe, expect, it } from "vitest";
import { browserForFile } from "./browser";

const browser = browserForFile();

describe("an entity page's first load", () => {
  it("puts the header on screen before it builds the overview, then builds the overview", async () => {
    const page = await browser.newPage();
    // Watches the DOM from the first byte: when the header first appears, was the overview already there?
    await page.addInitScript(() => {
      const w = window as unknown as { __order?: { header: boolean; aboutWithHeader?: boolean; frameBetween?: boolean } };
      w.__order = { header: false };
      let frames = 0;
      const tick = () => {
        frames++;
        requestAnimationFrame(tick);
      };
      requestAnimationFrame(tick);
      let headerFrame = -1;
      new MutationObserver(() => {
        const o = w.__order!;
        if (!o.header && document.querySelector('[data-testid="entity-header"]')) {
          o.header = true;
          o.aboutWithHeader = document.querySelector("#about") !== null;
          headerFrame = frames;
        } else if (o.header && o.frameBetween === undefined && document.querySelector("#about")) {
          o.frameBetween = frames > headerFrame;
        }
      }).observe(document, { childList: true, subtree: true });
    });
    await page.goto("/catalog/default/component/payments-service");
    await page.locator("#about").getByText("Authorises, captures and refunds").waitFor();
    const order = await page.evaluate(() => (window as unknown as { __order: unknown }).__order);
    expect(order).toEqual({ header: true, aboutWithHeader: false, frameBetween: true });
    await page.close();
  });
});

describe("a deep link's first reads", () => {
  it("arrive with the page (the worker answers them into index.html), so the page does not fetch them", async () => {
    const page = await browser.newPage();
    const api: string[] = [];
    page.on("request", (r) => {
      const u = new URL(r.url());
      if (u.pathname.startsWith("/api/")) api.push(u.pathname);
    });
    const res = await page.goto("/catalog/default/component/payments-service");
    await page.getByTestId("entity-header").waitFor();
    expect(await page.getByTestId("entity-header").getByRole("heading", { level: 1 }).textContent()).toBe("Payments service");
    // Served by the worker, with the static site's policy and not cacheable (it holds the caller's answers).
    expect(res!.headers()["content-security-policy"]).toContain("script-src 'self'");
    expect(res!.headers()["cache-control"]).toBe("no-store");
    const html = await res!.text();
    expect(html).toContain('data-read="/api/catalog/entities/by-name/component/default/payments-service"');
    expect(api).not.toContain("/api/catalog/entities/by-name/component/default/payments-service");
    expect(api).not.toContain("/api/catalog/entity-info/component/default/payments-service");
    expect(api).not.toContain("/api/auth/session");
    await page.close();
  });
});
