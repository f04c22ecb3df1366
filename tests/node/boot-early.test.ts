/**
 * web/public/boot.js, run against a stand-in document: which API reads it starts for a deep link (they must be
 * the exact paths the app asks for first, or the app fetches twice) and which route chunks it preloads.
 */
import { readFileSync } from "node:fs";
import { runInNewContext } from "node:vm";
import { describe, expect, it } from "vitest";
import { byNamePath, entityInfoPath } from "../../web/src/api/params";
import { pluginPath } from "../../web/src/plugin-kit/api";

const BOOT = readFileSync(new URL("../../web/public/boot.js", import.meta.url), "utf8");
const CHUNKS = { "/docs/": ["/assets/DocsPage-x.js", "/assets/techdocs-y.css"], "/create/templates/": ["/assets/TemplateForm-z.js"] };

function boot(pathname: string) {
  const links: Record<string, string>[] = [];
  const blocks: Record<string, string> = { "edgestage-catalog-reads": JSON.stringify(["/api/catalog/entities/by-query?limit=100"]), "edgestage-route-chunks": JSON.stringify(CHUNKS) };
  const window: Record<string, unknown> = { fetch: (path: string) => Promise.resolve(path) };
  const document = {
    documentElement: { dataset: {} },
    getElementById: (id: string) => (id in blocks ? { textContent: blocks[id] } : null),
    createElement: () => ({}) as Record<string, string>,
    head: { appendChild: (l: Record<string, string>) => links.push(l) },
    querySelector: () => null,
  };
  runInNewContext(BOOT, {
    window,
    document,
    location: { pathname },
    fetch: window.fetch,
    performance: { now: () => 0 },
    localStorage: { getItem: () => null },
    matchMedia: () => ({ matches: false }),
    setTimeout: () => 0,
  });
  const early = (window.__edgestageEarly as { path: string }[]).map((e) => e.path);
  return { early, links: links.map((l) => ({ rel: l.rel, as: l.as, href: l.href })) };
}

describe("boot.js early reads and route chunks", () => {
  it("a docs page: the site and the page, as the reader asks for them, and the reader's chunks", () => {
    const { early, links } = boot("/docs/default/component/my-svc/guides/deep%20dive/internals");
    const site = pluginPath("techdocs", "/sites/default/component/my-svc");
    expect(early).toEqual([site, pluginPath("techdocs", `/sites/default/component/my-svc/page?path=${encodeURIComponent("guides/deep dive/internals")}`), "/api/auth/session"]);
    expect(links).toEqual([
      { rel: "modulepreload", as: undefined, href: "/assets/DocsPage-x.js" },
      { rel: "preload", as: "style", href: "/assets/techdocs-y.css" },
    ]);
  });

  it("a docs site's home page asks for the empty page path", () => {
    expect(boot("/docs/default/component/my-svc").early[1]).toBe(pluginPath("techdocs", "/sites/default/component/my-svc/page?path="));
    expect(boot("/docs/default/component/my-svc/").early[1]).toBe(pluginPath("techdocs", "/sites/default/component/my-svc/page?path="));
  });

  it("a template's form: the Template entity, and the form's chunk", () => {
    const { early, links } = boot("/create/templates/default/hono-service");
    expect(early).toEqual([byNamePath("template", "default", "hono-service"), "/api/auth/session"]);
    expect(links.map((l) => l.href)).toEqual(["/assets/TemplateForm-z.js"]);
  });

  it("other pages preload no route chunk; a bad escape in the address starts no docs read", () => {
    expect(boot("/catalog").links).toEqual([]);
    expect(boot("/docs").early).toEqual(["/api/auth/session"]);
    expect(boot("/docs/default/component/x/%zz").early).toEqual(["/api/auth/session"]);
  });
});

describe("boot.js on an entity page", () => {
  it("starts the entity and its provenance, at the paths the app asks for", () => {
    expect(boot("/catalog/default/component/my%20svc").early).toEqual([byNamePath("component", "default", "my svc"), entityInfoPath("component", "default", "my svc"), "/api/auth/session"]);
  });
});
