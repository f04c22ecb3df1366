/** Chromium for the browser tests (flags from STACK.md §4), screenshots and the axe-core check. */
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type BrowserContext, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, inject } from "vitest";

export const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const SCREENSHOTS = "test-results/screenshots";

export interface Browser {
  context: BrowserContext;
  newPage: () => Promise<Page>;
  close: () => Promise<void>;
}

export async function openBrowser(baseURL: string, opts: { width?: number; height?: number; colorScheme?: "light" | "dark" } = {}): Promise<Browser> {
  const profile = mkdtempSync(join(tmpdir(), "chromium-profile-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: "/usr/bin/chromium",
    headless: true,
    baseURL,
    viewport: { width: opts.width ?? 1360, height: opts.height ?? 900 },
    colorScheme: opts.colorScheme ?? "light",
    args: CHROMIUM_ARGS,
  });
  const errors: string[] = [];
  return {
    context,
    newPage: async () => {
      const page = await context.newPage();
      page.on("pageerror", (e) => errors.push(e.message));
      return page;
    },
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
      if (errors.length) throw new Error(`Uncaught errors in the page:\n${errors.join("\n")}`);
    },
  };
}

/**
 * The calling test file's browser: opened on the e2e server (global-setup.ts) before the file's tests, closed
 * (failing on uncaught page errors) after them. Call it at the top level of the file.
 */
export function browserForFile(opts: Parameters<typeof openBrowser>[1] = {}): Browser {
  let open: Browser | undefined;
  beforeAll(async () => {
    open = await openBrowser(inject("baseURL"), opts);
  });
  afterAll(async () => {
    await open?.close();
  });
  const current = () => {
    if (!open) throw new Error("browserForFile: the browser opens in beforeAll");
    return open;
  };
  return {
    get context() {
      return current().context;
    },
    newPage: () => current().newPage(),
    close: () => current().close(),
  };
}

/**
 * Records, for each frame once the app's shell is in the page, which of `probes` (name → selector) match. Sampled
 * in the frame's animation callbacks, just before it is laid out and painted: what the user saw, not the DOM's
 * in-between states within one task. Call before `goto`; the result reads the frames recorded so far.
 */
export async function recordAppFrames<K extends string>(page: Page, probes: Record<K, string>): Promise<() => Promise<Record<K, boolean>[]>> {
  await page.addInitScript((selectors: Record<string, string>) => {
    const frames: Record<string, boolean>[] = [];
    (window as unknown as { appFrames: typeof frames }).appFrames = frames;
    const sample = () => {
      if (document.querySelector("#root .app")) frames.push(Object.fromEntries(Object.entries(selectors).map(([name, s]) => [name, !!document.querySelector(s)])));
      if (frames.length < 300) requestAnimationFrame(sample);
    };
    requestAnimationFrame(sample);
  }, probes as Record<string, string>);
  return () => page.evaluate(() => (window as unknown as { appFrames: Record<K, boolean>[] }).appFrames);
}

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: `${SCREENSHOTS}/${name}.png`, fullPage });
}

export interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: string[]; failureSummary?: string }[];
}

/** Runs axe-core (WCAG 2.x A/AA rules) on the page and returns the serious and critical violations. */
export async function seriousViolations(page: Page): Promise<AxeViolation[]> {
  // Evaluated through the DevTools protocol: an inline <script> would be (rightly) refused by the portal's CSP.
  await page.evaluate(readFileSync("node_modules/axe-core/axe.min.js", "utf8"));
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: Document, opts: unknown) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"] }, resultTypes: ["violations"] });
    return result.violations.map((v) => ({ id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, failureSummary: n.failureSummary })) }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

export function describeViolations(violations: AxeViolation[]): string {
  return violations.map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.map((n) => `  ${n.target.join(" ")}: ${n.failureSummary ?? ""}`).join("\n")}`).join("\n");
}

/** A 1×1 PNG for avatar URLs: the browser tests run offline, and a failed image load is a console error. */
const PIXEL = Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==", "base64");

export async function serveAvatarsLocally(context: BrowserContext): Promise<void> {
  await context.route("https://avatars.githubusercontent.com/**", (route) => route.fulfill({ status: 200, contentType: "image/png", body: PIXEL }));
}

export interface PageProblems {
  /** `securitypolicyviolation` events: "<directive> blocked <uri>". */
  csp: string[];
  /** Uncaught errors and console errors, except the browser's note on an HTTP status the test expects (e.g. 401 before sign-in). */
  console: string[];
}

/**
 * Records CSP violations and console errors on `page`. The listener is added by the DevTools protocol
 * before any page script runs, so the portal's CSP does not apply to it (an inline script would be refused).
 */
export async function watchProblems(page: Page, opts: { allowStatuses?: number[] } = {}): Promise<PageProblems> {
  const problems: PageProblems = { csp: [], console: [] };
  const allowed = new Set(opts.allowStatuses ?? []);
  await page.exposeFunction("__edgestageCsp", (v: string) => problems.csp.push(v));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { __edgestageCsp: (v: string) => void }).__edgestageCsp(`${e.effectiveDirective} blocked ${e.blockedURI || "inline"} (${e.sourceFile}:${e.lineNumber})`);
    });
  });
  page.on("pageerror", (e) => problems.console.push(`uncaught: ${e.message}`));
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const status = /the server responded with a status of (\d{3})/.exec(msg.text());
    if (status && allowed.has(Number(status[1]))) return;
    problems.console.push(msg.text());
  });
  return problems;
}
