/**
 * The worker and boot.js agree on a page's first reads (worker/portal/first-reads.ts answers them into
 * index.html, web/public/boot.js takes those answers or fetches): the same paths for the same address, or the
 * page would read twice. Also: the worker is asked for those pages (wrangler.toml), index.html has the tag the
 * answers go before, and an answer's JSON can neither end its block nor change its value (fast-check).
 */
import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { catalogReadsOf, firstReads } from "../../worker/portal/first-reads";
import { BOOT_SCRIPT, dataBlock, inlineReads } from "../../worker/portal/inline";
import { PAGE_ROUTES, isPortalPage } from "../../worker/portal/routes";
import { defaultCatalogReads } from "../../web/src/lib/catalog-query";
import { boot, CATALOG_READS } from "./boot-vm";

const ADDRESSES = [
  "/catalog",
  "/catalog/",
  "/catalog/default/component/my-svc",
  "/catalog/default/component/my-svc/",
  "/catalog/default/component/my%20svc",
  "/catalog/Default/Component/My-Svc",
  "/catalog/default/component/%zz",
  "/catalog/default/component",
  "/catalog/a/b/c/d",
  "/create/templates/default/hono-service",
  "/create/templates/default/hono-service/",
  "/create/templates/%E0%A4%A/x",
  "/docs/default/component/my-svc",
  "/docs/default/component/my-svc/",
  "/docs/default/component/my-svc/guides/deep%20dive/internals",
  "/docs/default/component/my-svc//guides//x/",
  "/docs/default/component/x/%zz",
  "/docs",
  "/",
  "/search",
];

describe("a page's first reads", () => {
  it.each(ADDRESSES)("%s: the worker lists what boot.js starts", (address) => {
    expect(firstReads(address, "", CATALOG_READS)).toEqual(boot(address).early);
  });

  it("the catalog with a query: only the session, on both sides", () => {
    expect(firstReads("/catalog", "?kind=api", CATALOG_READS)).toEqual(["/api/auth/session"]);
    expect(boot("/catalog", [], "?kind=api").early).toEqual(["/api/auth/session"]);
  });

  it("any address (fast-check): the same list on both sides", () => {
    const segment = fc.stringMatching(/^([A-Za-z0-9._~ -]|%[0-9A-Fa-f]{2}|%[zZ]{2}|%E2%82|é|\?){1,8}$/).map((s) => s.replace(/ /g, "%20"));
    const address = fc.oneof(
      fc.tuple(segment, segment, segment).map(([a, b, c]) => `/catalog/${a}/${b}/${c}`),
      fc.tuple(segment, segment).map(([a, b]) => `/create/templates/${a}/${b}`),
      fc.tuple(segment, segment, segment, fc.array(fc.oneof(segment, fc.constant("")), { maxLength: 4 })).map(([a, b, c, rest]) => `/docs/${a}/${b}/${c}${rest.length ? `/${rest.join("/")}` : ""}`),
    );
    fc.assert(
      fc.property(address, (a) => {
        expect(firstReads(a, "", CATALOG_READS)).toEqual(boot(a).early);
      }),
      { numRuns: 300 },
    );
  });
});

describe("the worker is asked for these pages", () => {
  it("wrangler.toml runs the worker first for every page route, and only pages under them are served", () => {
    const toml = readFileSync(new URL("../../wrangler.toml", import.meta.url), "utf8");
    const runFirst = JSON.parse(/^run_worker_first\s*=\s*(\[.*\])\s*$/m.exec(toml)![1]!) as string[];
    expect(runFirst).toEqual(expect.arrayContaining(["/api/*", ...PAGE_ROUTES]));
    for (const a of ["/catalog", "/catalog/default/component/x", "/docs/default/component/x/page", "/create/templates/default/t"]) expect(isPortalPage(a), a).toBe(true);
    for (const a of ["/", "/catalogue", "/search", "/create", "/create/tasks/1", "/docs", "/assets/index.js", "/boot.js"]) expect(isPortalPage(a), a).toBe(false);
  });

  it("index.html has the boot.js tag the answers go before, and a catalog-reads block the worker can read once built", () => {
    const html = readFileSync(new URL("../../web/index.html", import.meta.url), "utf8");
    expect(html).toContain(BOOT_SCRIPT);
    // vite.config.ts's earlyReads() fills the block at build time with defaultCatalogReads().
    const built = html.replace("__EDGESTAGE_CATALOG_READS__", JSON.stringify(defaultCatalogReads()));
    expect(catalogReadsOf(built)).toEqual(defaultCatalogReads());
    expect(html.indexOf('id="edgestage-catalog-reads"')).toBeLessThan(html.indexOf(BOOT_SCRIPT));
  });
});

describe("data blocks", () => {
  /** What a browser's parser sees: the block's text up to the first `</script`, and its decoded attribute. */
  function parse(html: string) {
    const m = /^<script type="application\/json" data-read="([^"]*)" data-status="(\d+)">([\s\S]*?)<\/script>([\s\S]*)$/.exec(html)!;
    const decode = (s: string) => s.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    return { path: decode(m[1]!), status: Number(m[2]), text: m[3]!, after: m[4]! };
  }

  it("any JSON answer and path (fast-check): the block ends where it should, and reads back the same", () => {
    const nasty = fc.oneof(fc.string(), fc.constantFrom("</script>", "</SCRIPT ", "<!--", "-->", "<script>", '"', "&amp;", "\u2028"));
    const json = fc.jsonValue().chain((v) => fc.array(nasty, { maxLength: 4 }).map((extra) => ({ v, extra })));
    fc.assert(
      fc.property(json, fc.string(), fc.integer({ min: 200, max: 499 }), ({ v, extra }, pathTail, status) => {
        const body = JSON.stringify({ v, extra });
        const path = `/api/x?q=${pathTail}`;
        const block = dataBlock({ path, status, body });
        const p = parse(block);
        expect(p.after).toBe("");
        expect(p.text).not.toMatch(/<\/script/i);
        expect(p.text.toLowerCase()).not.toContain("<!--");
        expect(JSON.parse(p.text)).toEqual(JSON.parse(body));
        expect(p.path).toBe(path);
        expect(p.status).toBe(status);
      }),
      { numRuns: 300 },
    );
  });

  it("the session's before boot.js, the page's at the end of the body, listed as coming before boot.js", () => {
    const html = `<head>\n    ${BOOT_SCRIPT}\n</head><body><div id="root"></div></body></html>`;
    const out = inlineReads(html, [{ path: "/api/auth/session", status: 200, body: "{}" }], [{ path: "/api/x", status: 200, body: "[]" }]);
    expect(out.indexOf('data-read="/api/auth/session"')).toBeLessThan(out.indexOf(BOOT_SCRIPT));
    expect(out.indexOf('<script id="edgestage-reads-coming" type="application/json">["/api/x"]</script>')).toBeLessThan(out.indexOf(BOOT_SCRIPT));
    expect(out.indexOf('data-read="/api/x"')).toBeGreaterThan(out.indexOf('<div id="root">'));
    expect(out.endsWith("</body></html>")).toBe(true);
  });

  it("a page without boot.js's tag or a body end is left as it is", () => {
    const read = [{ path: "/api/auth/session", status: 200, body: "{}" }];
    expect(inlineReads("<head></head><body></body>", read)).toBe("<head></head><body></body>");
    expect(inlineReads(`<head>${BOOT_SCRIPT}</head>`, read)).toBe(`<head>${BOOT_SCRIPT}</head>`);
  });
});
