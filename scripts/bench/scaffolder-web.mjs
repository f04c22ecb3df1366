/**
 * Software templates in the portal (issue 12 budget: form first render ≤ 300 ms), called by run.mjs's web
 * section with the portal already serving the bench catalog: `benchScaffolderWeb(baseURL, { cookie, adminToken })`.
 *
 * - form first render: headless Chromium, a fresh context (cold HTTP cache) per run, time from navigation
 *   start to the `edgestage:template-form` mark (the form's first step is in the DOM: HTML with the session
 *   and the template written into it by the worker, JS, the route's lazy chunk, parsing and rendering), read
 *   with web.mjs's markTime. Median of 5 after a warm-up.
 *   The template is tests/fixtures/scaffolder-web/templates/kitchen-sink.yaml (three steps, dependencies,
 *   allOf, every field extension), registered here through the catalog loader.
 * - the form's own JS: what a deep link to the form loads beyond the initial bundle, read from the route-chunk
 *   map vite.config.ts writes into dist/index.html (the files web/public/boot.js preloads): gzip size and how
 *   many files, since each is one more request to the same server before the form can render.
 */
import { execFile } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { markTime } from "./web.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const CHROMIUM = "/usr/bin/chromium";
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"];
const RUNS = 5;
const TEMPLATE = "tests/fixtures/scaffolder-web/templates/kitchen-sink.yaml";
const FORM_PATH = "/create/templates/default/kitchen-sink";
const ROUTE_PREFIX = "/create/templates/";

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
    // web.mjs's markTime asks through a bare CDP evaluate: Playwright's waitForFunction would compile its
    // injected script on the page's main thread during the very load being timed.
    const t = await markTime(page, mark);
    if (i > 0) times.push(t);
    await context.close();
  }
  return median(times);
}

/** The JS files a deep link to the form preloads beside the entry (paths under dist/), or undefined without a build. */
function formRouteFiles() {
  const html = join(ROOT, "dist", "index.html");
  if (!existsSync(html)) return undefined;
  const m = /<script id="edgestage-route-chunks" type="application\/json">([^<]*)<\/script>/.exec(readFileSync(html, "utf8"));
  const files = m ? JSON.parse(m[1])[ROUTE_PREFIX] : undefined;
  return Array.isArray(files) ? files.filter((f) => f.endsWith(".js")).map((f) => f.replace(/^\//, "")) : undefined;
}

function gzipKB(files) {
  return round(files.reduce((n, f) => n + gzipSync(readFileSync(join(ROOT, "dist", f)), { level: 9 }).length, 0) / 1024, 1);
}

export async function benchScaffolderWeb(baseURL, { cookie, adminToken } = {}) {
  if (!existsSync(CHROMIUM)) return { rows: [], notes: [`skipped: ${CHROMIUM} is missing (apt-get install -y chromium)`] };
  await promisify(execFile)("node", ["scripts/catalog-load.mjs", TEMPLATE, "--url", baseURL, ...(adminToken ? ["--token", adminToken] : [])], { cwd: ROOT, env: { ...process.env, NO_COLOR: "1" } });
  const { chromium } = await import("playwright-core");
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const rows = [row("template form first render (median of 5, cold cache)", round(await timeToMark(browser, baseURL, cookie, FORM_PATH, "edgestage:template-form")), "ms", 300)];
    const files = formRouteFiles();
    if (files?.length) rows.push(row(`template form JS beyond the initial bundle (${files.length} file${files.length === 1 ? "" : "s"}, /create/templates/* only)`, gzipKB(files), "kB gzip"));
    return { rows, notes: ["The form's JS is a lazy route chunk: none of it is in the initial bundle (see the web section's initial JS)."] };
  } finally {
    await browser.close();
  }
}
