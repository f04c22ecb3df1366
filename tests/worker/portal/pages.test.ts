/**
 * worker/portal/pages.ts: a deep link's index.html carries the answers to the page's first reads, the same
 * answers the API gives the same caller, as data blocks boot.js takes; the asset's own headers stay.
 */
import { createExecutionContext, env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app";
import { withPortalPages } from "../../../worker/portal/pages";
import { ADMIN, api, BASE, component, ingest, memberSession, uniq } from "../helpers";

const CSP = "default-src 'self'; script-src 'self'";
const INDEX = [
  "<!doctype html><html><head>",
  `<script id="edgestage-catalog-reads" type="application/json">["/api/catalog/entity-facets?facet=kind"]</script>`,
  '<script src="/boot.js"></script>',
  '<script type="module" src="/assets/index.js"></script>',
  '</head><body><div id="root"></div></body></html>',
].join("\n");

/** A stand-in for the ASSETS binding: index.html for "/", with the static site's headers; records each fetch. */
function assets(index = INDEX) {
  const asked: string[] = [];
  const binding = {
    fetch: async (input: Request | string) => {
      const req = input instanceof Request ? input : new Request(input);
      asked.push(new URL(req.url).pathname);
      return new Response(index, { headers: { "content-type": "text/html; charset=utf-8", "content-security-policy": CSP, etag: '"abc"', "cache-control": "public, max-age=0, must-revalidate" } });
    },
  };
  return { asked, binding: binding as unknown as Fetcher };
}

const app = createApp();
const NAV = { "sec-fetch-mode": "navigate", "sec-fetch-dest": "document", accept: "text/html" };

async function page(path: string, headers: Record<string, string>, index = INDEX) {
  const a = assets(index);
  const res = await withPortalPages(app.fetch)(new Request(`${BASE}${path}`, { headers }), { ...env, ASSETS: a.binding }, createExecutionContext());
  return { res, html: await res.text(), asked: a.asked };
}

/** The data blocks in `html`: path → { status, body } (attribute entities decoded, as a browser would). */
function blocks(html: string): Record<string, { status: number; body: unknown }> {
  const out: Record<string, { status: number; body: unknown }> = {};
  for (const m of html.matchAll(/<script type="application\/json" data-read="([^"]*)" data-status="(\d+)">([^<]*)<\/script>/g)) {
    const path = m[1]!.replace(/&quot;/g, '"').replace(/&lt;/g, "<").replace(/&gt;/g, ">").replace(/&amp;/g, "&");
    out[path] = { status: Number(m[2]), body: JSON.parse(m[3]!) };
  }
  return out;
}

let name: string;
beforeAll(async () => {
  name = uniq("inline-svc");
  await ingest(`/portal-pages/${name}`, { [`/portal-pages/${name}/catalog-info.yaml`]: component(name, { owner: "team-a" }, { description: "Breaks </script><script>alert(1)</script> out <!-- if it can" }) });
});

describe("an entity page's index.html", () => {
  it("carries the entity, its provenance and the session, as the API answers them to the same caller", async () => {
    const cookie = await memberSession();
    const { res, html } = await page(`/catalog/default/component/${name}`, { ...NAV, cookie });
    expect(res.status).toBe(200);
    const b = blocks(html);
    const byName = `/api/catalog/entities/by-name/component/default/${name}`;
    const info = `/api/catalog/entity-info/component/default/${name}`;
    expect(Object.keys(b).sort()).toEqual([byName, info, "/api/auth/session"].sort());
    for (const path of [byName, info, "/api/auth/session"]) {
      const direct = await api(path, { headers: { cookie } });
      expect(b[path], path).toEqual({ status: direct.status, body: await direct.json() });
    }
    expect((b[byName]!.body as { metadata: { description: string } }).metadata.description).toContain("</script><script>");
    // The description's markup stays inside the JSON: nothing ends the block early, no comment opens.
    expect(html.match(/<\/script/g)!.length).toBe(html.match(/<script/g)!.length);
    expect(html).not.toContain("<!--");
    // The session before boot.js, which reads it as it runs; the page's reads listed as coming (so boot.js does
    // not fetch them) and answered at the end of the body, which the worker sends last.
    const boot = html.indexOf('<script src="/boot.js">');
    expect(html.indexOf('data-read="/api/auth/session"')).toBeLessThan(boot);
    expect(html.indexOf(`<script id="edgestage-reads-coming" type="application/json">${JSON.stringify([byName, info])}</script>`)).toBeLessThan(boot);
    expect(html.indexOf(`data-read="${byName}"`)).toBeGreaterThan(html.indexOf('<div id="root">'));
    expect(html.endsWith("</body></html>")).toBe(true);
  });

  it("a read that fails is left out (boot.js fetches it), the others are answered", async () => {
    const failing = (req: Request, e: Env, ctx: ExecutionContext) =>
      new URL(req.url).pathname.startsWith("/api/catalog/entity-info/") ? new Response('{"error":{}}', { status: 503, headers: { "content-type": "application/json" } }) : app.fetch(req, e, ctx);
    const a = assets();
    const res = await withPortalPages(failing)(new Request(`${BASE}/catalog/default/component/${name}`, { headers: { ...NAV, cookie: await memberSession() } }), { ...env, ASSETS: a.binding }, createExecutionContext());
    const html = await res.text();
    expect(Object.keys(blocks(html)).sort()).toEqual(["/api/auth/session", `/api/catalog/entities/by-name/component/default/${name}`]);
    expect(html).toContain(`/api/catalog/entity-info/component/default/${name}`); // still listed as coming
  });

  it("keeps the asset's security headers, and is never cached (it holds one person's answers)", async () => {
    const { res } = await page(`/catalog/default/component/${name}`, { ...NAV, cookie: await memberSession() });
    expect(res.headers.get("content-security-policy")).toBe(CSP);
    expect(res.headers.get("cache-control")).toBe("no-store");
    expect(res.headers.get("etag")).toBeNull();
    expect(res.headers.get("content-type")).toBe("text/html; charset=utf-8");
  });

  it("an unknown entity: the 404 is handed over like any answer", async () => {
    const { html } = await page("/catalog/default/component/no-such-thing-here", { ...NAV, cookie: await memberSession() });
    const b = blocks(html);
    expect(b["/api/catalog/entities/by-name/component/default/no-such-thing-here"]).toMatchObject({ status: 404, body: { error: { name: "NotFoundError" } } });
  });

  it("nobody signed in: the same 401s the API gives, so the portal shows its sign-in page", async () => {
    const { html } = await page(`/catalog/default/component/${name}`, NAV);
    const b = blocks(html);
    expect(b["/api/auth/session"]?.status).toBe(401);
    expect(b[`/api/catalog/entities/by-name/component/default/${name}`]?.status).toBe(401);
  });

  it("a bearer token works as it does on the API", async () => {
    const { html } = await page(`/catalog/default/component/${name}`, { ...NAV, ...ADMIN });
    expect(blocks(html)[`/api/catalog/entities/by-name/component/default/${name}`]?.status).toBe(200);
  });
});

describe("which requests get answers", () => {
  it("the catalog page without a query: the reads index.html lists, and the session", async () => {
    const { html } = await page("/catalog", { ...NAV, cookie: await memberSession() });
    expect(Object.keys(blocks(html)).sort()).toEqual(["/api/auth/session", "/api/catalog/entity-facets?facet=kind"]);
    const { html: filtered } = await page("/catalog?kind=api", { ...NAV, cookie: await memberSession() });
    expect(Object.keys(blocks(filtered))).toEqual(["/api/auth/session"]);
  });

  it("a page with no page reads (a catalog query) is whole at once: the session, nothing coming", async () => {
    const { html } = await page("/catalog?kind=component", { ...NAV, cookie: await memberSession() });
    expect(html).not.toContain("edgestage-reads-coming");
    expect(Object.keys(blocks(html))).toEqual(["/api/auth/session"]);
  });

  it("a request that is not a navigation gets the plain asset", async () => {
    const { res, html } = await page(`/catalog/default/component/${name}`, { "sec-fetch-mode": "cors", accept: "*/*", cookie: await memberSession() });
    expect(html).toBe(INDEX);
    expect(res.headers.get("etag")).toBe('"abc"');
  });

  it("API paths and other addresses go to the app as before", async () => {
    const { html, asked } = await page("/api/health", NAV);
    expect(JSON.parse(html)).toEqual({ status: "ok" });
    expect(asked).toEqual([]);
  });
});

describe("a deep link to a lazy route", () => {
  const map = { "/docs/": ["/assets/DocsPage-a1.js", "/assets/Reader-b2.js", "/assets/DocsPage-c3.css"], "/create/templates/": ["/assets/TemplateForm-d4.js"] };
  const withMap = INDEX.replace("<head>", `<head>\n<script id="edgestage-route-chunks" type="application/json">${JSON.stringify(map)}</script>`);
  const preloads = (html: string) => [...html.matchAll(/<link rel="(modulepreload|preload)"(?: as="style")? crossorigin href="([^"]+)">/g)].map((m) => `${m[1]} ${m[2]}`);

  it("names the route's chunks and CSS as preloads in the head, before boot.js, so they load beside the entry", async () => {
    const { html } = await page(`/docs/default/component/${name}/guides`, { ...NAV, authorization: ADMIN.authorization }, withMap);
    expect(preloads(html)).toEqual(["modulepreload /assets/DocsPage-a1.js", "modulepreload /assets/Reader-b2.js", "preload /assets/DocsPage-c3.css"]);
    expect(html.indexOf("/assets/DocsPage-a1.js")).toBeLessThan(html.indexOf('<script src="/boot.js">'));
    const form = await page("/create/templates/default/some-template", { ...NAV, authorization: ADMIN.authorization }, withMap);
    expect(preloads(form.html)).toEqual(["modulepreload /assets/TemplateForm-d4.js"]);
  });

  it("adds none for other pages, or when the map is missing or holds anything but asset paths", async () => {
    expect(preloads((await page(`/catalog/default/component/${name}`, NAV, withMap)).html)).toEqual([]);
    expect(preloads((await page(`/docs/default/component/${name}`, NAV)).html)).toEqual([]);
    const hostile = INDEX.replace("<head>", `<head>\n<script id="edgestage-route-chunks" type="application/json">${JSON.stringify({ "/docs/": ['/x.js" onload="alert(1)', "https://evil.example/x.js", 42] })}</script>`);
    expect(preloads((await page(`/docs/default/component/${name}`, NAV, hostile)).html)).toEqual([]);
    expect((await page(`/docs/default/component/${name}`, NAV, hostile)).html).not.toMatch(/<link[^>]*evil/);
  });
});
