/** axe-core on the main pages, in both themes: no serious or critical violations. */
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { type Browser, describeViolations, openBrowser, seriousViolations } from "./browser";

const baseURL = inject("baseURL");

const PAGES: { name: string; path: string; ready: string }[] = [
  { name: "home", path: "/", ready: '[aria-label="Entities per kind"]' },
  { name: "catalog", path: "/catalog", ready: '[data-testid="entity-table"] tbody tr.entity-row' },
  { name: "entity page", path: "/catalog/default/component/payments-service", ready: '[data-testid="relations-graph"] g.graph-node' },
  { name: "API definition", path: "/catalog/default/api/payments-api?tab=definition", ready: '[data-testid="api-operation"]' },
  { name: "search", path: "/search?q=payments", ready: '[data-testid="search-results"] .search-result' },
  { name: "installed plugins", path: "/plugins", ready: ".plugins-page h1" },
  { name: "create", path: "/create", ready: '[data-testid="template-list"] li' },
  { name: "template form", path: "/create/templates/default/nodejs-service", ready: '[data-testid="step-0"] .form-field' },
];

for (const scheme of ["light", "dark"] as const) {
  describe(`accessibility (${scheme} theme)`, () => {
    let browser: Browser;
    beforeAll(async () => {
      browser = await openBrowser(baseURL, { colorScheme: scheme });
    });
    afterAll(async () => {
      await browser?.close();
    });

    for (const p of PAGES) {
      it(`${p.name} has no serious or critical axe violations`, async () => {
        const page = await browser.newPage();
        await page.goto(p.path);
        await page.locator(p.ready).first().waitFor();
        // Let skeletons and late cards settle so the check sees the finished page.
        await page.waitForLoadState("networkidle");
        const violations = await seriousViolations(page);
        expect(violations, describeViolations(violations)).toEqual([]);
        await page.close();
      });
    }
  });
}
