/**
 * Signing in and what each person may do, in a real browser against the portal without the development
 * guest (global-setup.ts's second server), signing in through the fake GitHub's OAuth app. Every page
 * visited is checked for CSP violations and console errors. A member (maya.chen, storefront team) sees
 * their home, the "owned by me" filter and an explanation instead of the admin area; an admin (jonas.berg,
 * platform team, named admin by PERMISSION_POLICY) creates and revokes a service token and imports an org.
 */
import type { Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, inject, it } from "vitest";
import { type Browser, openBrowser, type PageProblems, screenshot, serveAvatarsLocally, watchProblems } from "./browser";
import { E2E_ORG, signInAs } from "./sign-in";

const baseURL = inject("signInURL");
const githubURL = inject("githubURL");
const MAYA = { login: "maya.chen", name: "Maya Chen" };
const JONAS = { login: "jonas.berg", name: "Jonas Berg" };

let browser: Browser;
let problems: PageProblems[] = [];

async function open(b: Browser, allowStatuses: number[] = []): Promise<Page> {
  const page = await b.newPage();
  problems.push(await watchProblems(page, { allowStatuses }));
  return page;
}

afterEach(() => {
  const all = problems;
  problems = [];
  expect(all.flatMap((p) => p.csp), "CSP violations").toEqual([]);
  expect(all.flatMap((p) => p.console), "console errors").toEqual([]);
});

describe("signed out", () => {
  beforeAll(async () => {
    browser = await openBrowser(baseURL);
    await serveAvatarsLocally(browser.context);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("shows the sign-in page for any page, and the API answers 401", async () => {
    // The portal asks for the session and gets 401: the browser logs that status, which is expected here.
    const page = await open(browser, [401]);
    await page.goto("/catalog");
    await page.getByTestId("sign-in").waitFor();
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe("Sign in to Edgestage");
    expect(await page.getByTestId("sign-in-github").getAttribute("href")).toBe("/api/auth/github/start?returnTo=%2Fcatalog");
    expect((await fetch(`${baseURL}/api/catalog/entities?limit=1`)).status).toBe(401);
    await screenshot(page, "access-01-sign-in");
    await page.close();
  });
});

describe("a member", () => {
  beforeAll(async () => {
    browser = await openBrowser(baseURL);
    await serveAvatarsLocally(browser.context);
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("signs in with GitHub and lands on a home page with their groups, what they own and its changes", async () => {
    const page = await open(browser, [401]);
    await signInAs(page, githubURL, MAYA);
    expect(new URL(page.url()).pathname).toBe("/");
    await page.getByTestId("my-work").waitFor();
    expect(await page.getByTestId("my-work").getByRole("heading", { level: 2 }).first().textContent()).toBe("Welcome, Maya Chen");
    await page.getByTestId("my-groups").waitFor();
    const groups = await page.getByTestId("my-groups").locator(".entity-list-title").allTextContents();
    // Direct group first-class, parents through childOf: Backstage's ownership claims.
    expect(groups.join(" | ")).toMatch(/Storefront/i);
    expect(groups.length).toBe(3);
    await page.getByTestId("my-owned").waitFor();
    expect(await page.getByTestId("my-owned").locator("li").count()).toBeGreaterThan(0);
    await page.getByTestId("my-changes").locator(".change-row").first().waitFor();
    expect(await page.getByTestId("admin-nav").count()).toBe(0);
    await screenshot(page, "access-02-member-home", true);
    await page.close();
  });

  it("filters the catalog to what they and their groups own, kept in the URL", async () => {
    const page = await open(browser);
    await page.goto("/catalog?kind=component");
    await page.getByTestId("entity-table").locator("tbody tr.entity-row").first().waitFor();
    await page.getByTestId("owned-by-me").check();
    await page.waitForURL(/owned=mine/);
    await page.waitForFunction(() => {
      const owners = [...document.querySelectorAll("tbody tr.entity-row .col-owner")].map((e) => e.textContent ?? "");
      return owners.length > 0 && owners.every((o) => /storefront|maya/i.test(o));
    });
    expect(await page.getByRole("group", { name: "Active filters" }).textContent()).toContain("Owned by me or my groups");
    await screenshot(page, "access-03-owned-by-me");
    // A shared link keeps the filter.
    await page.goto("/catalog?owned=mine&kind=component");
    expect(await page.getByTestId("owned-by-me").isChecked()).toBe(true);
    await page.close();
  });

  it("is told why a direct link to an admin page shows nothing to do", async () => {
    const page = await open(browser);
    await page.goto("/admin/tokens");
    const denied = page.getByTestId("access-denied");
    await denied.waitFor();
    expect(await denied.textContent()).toContain("You need the admin role to create and revoke service tokens.");
    expect(await denied.textContent()).toContain("maya.chen (member)");
    expect(await page.getByTestId("admin-tokens").count()).toBe(0);
    await screenshot(page, "access-04-admin-denied");
    await page.close();
  });
});

describe("an admin", () => {
  beforeAll(async () => {
    browser = await openBrowser(baseURL);
    await serveAvatarsLocally(browser.context);
    await browser.context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: baseURL });
  });
  afterAll(async () => {
    await browser?.close();
  });

  it("creates a service token, sees it once, copies it, and revokes it", async () => {
    const page = await open(browser, [401]);
    await signInAs(page, githubURL, JONAS);
    await page.getByTestId("admin-nav").getByRole("link", { name: "Administration" }).click();
    await page.waitForURL(/\/admin\/locations$/);
    await page.getByTestId("admin-locations").locator("table").waitFor();
    await screenshot(page, "access-05-admin-locations");

    await page.getByRole("navigation", { name: "Admin sections" }).getByRole("link", { name: "Service tokens" }).click();
    await page.getByTestId("token-name").fill("e2e catalog reader");
    await page.getByTestId("create-token").click();
    const value = page.getByTestId("new-token-value");
    await value.waitFor();
    const token = (await value.textContent())!;
    expect(token).toMatch(/^est_/);
    await page.getByTestId("copy-token").click();
    await page.getByTestId("copy-token").getByText("Copied").waitFor();
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(token);
    const row = page.getByTestId("token-row").filter({ hasText: "e2e catalog reader" });
    await row.waitFor();
    expect(await row.textContent()).toContain("catalog.entity.read");
    expect(await row.textContent()).toContain("Never used");
    await screenshot(page, "access-06-token-created");

    // The token works for what it was given, and after a reload the secret is nowhere on the page.
    expect((await fetch(`${baseURL}/api/catalog/entities?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(200);
    await page.reload();
    await row.waitFor();
    expect(await page.content()).not.toContain(token);

    await row.getByRole("button", { name: "Revoke" }).click();
    await row.getByTestId("confirm-revoke").click();
    await row.getByTestId("token-status").getByText("Revoked").waitFor();
    expect((await fetch(`${baseURL}/api/catalog/entities?limit=1`, { headers: { authorization: `Bearer ${token}` } })).status).toBe(401);
    await screenshot(page, "access-07-token-revoked");
    await page.close();
  });

  it("imports an organization's teams and people and watches the progress bar finish", async () => {
    const page = await open(browser);
    await page.goto("/admin/imports");
    await page.getByTestId("import-target").fill(E2E_ORG);
    await page.getByTestId("import-org-data").check();
    await page.getByRole("button", { name: "Start import" }).click();
    const row = page.getByTestId("import-row").filter({ hasText: E2E_ORG }).first();
    await row.waitFor();
    await page.waitForFunction(() => document.querySelector('[data-testid="import-row"]')?.getAttribute("data-status") === "done", undefined, { timeout: 30_000 });
    expect(await row.getByTestId("import-summary").textContent()).toBe("5/5 teams and people · 5 entities · 0 processing errors");
    expect(await row.locator("progress").evaluate((p: HTMLProgressElement) => p.value === p.max)).toBe(true);
    expect(await row.textContent()).toContain("100%");
    await screenshot(page, "access-08-import-done");
    await page.close();
  });

  it("reads the audit log filtered by action, and the dead letters", async () => {
    const page = await open(browser);
    await page.goto("/admin/audit");
    await page.getByTestId("audit-action").fill("auth.");
    await page.getByRole("button", { name: "Filter" }).click();
    await page.waitForURL(/action=auth\./);
    await page.getByTestId("audit-row").first().waitFor();
    const actions = await page.getByTestId("audit-table").locator("tbody tr td:nth-child(3)").allTextContents();
    expect(actions.every((a) => a.startsWith("auth."))).toBe(true);
    expect(await page.getByTestId("audit-table").textContent()).toContain("user:default/jonas.berg");
    await screenshot(page, "access-09-audit");

    await page.goto("/admin/dead-letters");
    await page.getByTestId("admin-dead-letters").waitFor();
    await page.getByTestId("admin-dead-letters").locator(".empty-state, .dead-letter").first().waitFor();
    await screenshot(page, "access-10-dead-letters");
    await page.close();
  });
});
