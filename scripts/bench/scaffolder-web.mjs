/**
 * Software templates in the portal (issue 12 budget: form first render ≤ 300 ms), called by run.mjs's web
 * section with the portal already serving the bench catalog: `benchScaffolderWeb(baseURL, { cookie, adminToken })`.
 *
 * - form first render: headless Chromium, a fresh context (cold HTTP cache) per run, time from navigation
 *   start to the `edgestage:template-form` mark (the form's first step is in the DOM: HTML, JS, the route's
 *   lazy chunk, the template from the catalog API, parsing and rendering). Median of 5 after a warm-up.
 *   The template is tests/fixtures/scaffolder-web/templates/kitchen-sink.yaml (three steps, dependencies,
 *   allOf, every field extension), registered here through the catalog loader.
 * - the form's own JS: gzip size of the TemplateForm chunk and what it imports beyond the initial bundle.
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const RUNS = 5;
const TEMPLATE = "tests/fixtures/scaffolder-web/templates/kitchen-sink.yaml";
const FORM_PATH = "/create/templates/default/kitchen-sink";

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const round = (v, d = 0) => Math.round(v * 10 ** d) / 10 ** d;
const row = (name, value, unit, budget, note) => ({ name, value, unit, budget: budget ?? "", ok: budget === undefined ? "" : value <= budget ? "yes" : "NO", ...(note ? { note } : {}) });

async function newContext(browser, baseURL, cookie) {
  const context = await browser.newContext({ baseURL, viewport: { width: 1360, height: 900 } });
  if (cookie) {
    const eq = cookie.indexOf("=");
    await context.addCookies([{ name: cookie.slice(0, eq), value: cookie.slice(eq + 1), domain: new URL(baseURL).hostname, path: "/", httpOnly: true, secure: true, sameSite: "Lax" }]);
  }
  return context;
}

async function timeToMark(browser, baseURL, cookie, path, mark) {
  const times = [];
  for (let i = 0; i <= RUNS; i++) {
    const context = await newContext(browser, baseURL, cookie);
    const page = await context.newPage();
    await page.goto(path, { waitUntil: "commit" });
    await page.waitForFunction((m) => performance.getEntriesByName(m).length > 0, mark, { timeout: 30_000 });
    const t = await page.evaluate((m) => performance.getEntriesByName(m)[0].startTime, mark);
    if (i > 0) times.push(t);
    await context.close();
  }
  return median(times);
}

function formChunkKB() {
  const dir = join(ROOT, "dist", "assets");
  if (!existsSync(dir)) return undefined;
  const file = readdirSync(dir).find((f) => /^TemplateForm-.*\.js$/.test(f));
  return file ? round(gzipSync(readFileSync(join(dir, file)), { level: 9 }).length / 1024, 1) : undefined;
}

export async function benchScaffolderWeb(baseURL, { cookie, adminToken } = {}) {
  if (!existsSync(CHROMIUM)) return { rows: [], notes: [`skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`] };
  await promisify(execFile)("node", ["scripts/catalog-load.mjs", TEMPLATE, "--url", baseURL, ...(adminToken ? ["--token", adminToken] : [])], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const rows = [row("template form first render (median of 5, cold cache)", round(await timeToMark(browser, baseURL, cookie, FORM_PATH, "edgestage:template-form")), "ms", 300)];
    const kb = formChunkKB();
    if (kb !== undefined) rows.push(row("template form chunk (loaded on /create/templates/* only)", kb, "kB gzip"));
    return { rows, notes: ["The form's JS is a lazy route chunk: none of it is in the initial bundle (see the web section's initial JS)."] };
  } finally {
    await browser.close();
  }
}
