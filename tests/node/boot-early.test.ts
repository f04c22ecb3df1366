/**
 * web/public/boot.js, run against a stand-in document: which API reads it starts for a deep link (they must be
 * the exact paths the app asks for first, or the app fetches twice) and which route chunks it preloads.
 */
import { describe, expect, it } from "vitest";
import { byNamePath, entityInfoPath } from "../../web/src/api/params";
import { pluginPath } from "../../web/src/plugin-kit/api";
import { boot } from "./boot-vm";

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

  it("adds no preload the page already has (the worker writes them into the head of deep links)", () => {
    const { links } = boot("/docs/default/component/my-svc/guides", [], "", undefined, ["/assets/DocsPage-x.js"]);
    expect(links.map((l) => l.href)).toEqual(["/assets/techdocs-y.css"]);
  });
});

describe("boot.js on an entity page", () => {
  it("starts the entity and its provenance, at the paths the app asks for", () => {
    expect(boot("/catalog/default/component/my%20svc").early).toEqual([byNamePath("component", "default", "my svc"), entityInfoPath("component", "default", "my svc"), "/api/auth/session"]);
  });
});

describe("boot.js order", () => {
  it("starts every read before it first touches localStorage (slow in a new tab), and still sets the theme", () => {
    const { order, theme } = boot("/catalog/default/component/my-svc");
    expect(order.at(-1)).toBe("localStorage");
    expect(order.filter((o) => o.startsWith("fetch "))).toHaveLength(3);
    expect(theme).toBe("light");
  });
});

describe("boot.js with answers the worker inlined", () => {
  const byName = byNamePath("component", "default", "my-svc");
  it("takes an inlined answer instead of fetching it, with its status and text; fetches the rest", async () => {
    const entity = JSON.stringify({ kind: "Component", metadata: { name: "my-svc" } });
    const { early, entries, order } = boot("/catalog/default/component/my-svc", [
      { read: byName, status: 200, text: entity },
      { read: "/api/auth/session", status: 401, text: '{"error":{"name":"AuthenticationError"}}' },
    ]);
    // The same list of reads as without answers; only the one not answered goes to the network.
    expect(early).toEqual([byName, entityInfoPath("component", "default", "my-svc"), "/api/auth/session"]);
    expect(order.filter((o) => o.startsWith("fetch "))).toEqual([`fetch ${entityInfoPath("component", "default", "my-svc")}`]);
    const first = (await entries[0]!.response) as Response;
    expect([first.status, first.headers.get("content-type"), await first.text()]).toEqual([200, "application/json", entity]);
    expect(((await entries[2]!.response) as Response).status).toBe(401);
  });

  it("an answer for a path the page does not read is ignored", () => {
    const { early, order } = boot("/catalog/default/component/my-svc", [{ read: "/api/catalog/entities/by-name/component/default/other", status: 200, text: "{}" }]);
    expect(early).toHaveLength(3);
    expect(order.filter((o) => o.startsWith("fetch "))).toHaveLength(3);
  });
});

describe("boot.js and a bad escape in an entity address", () => {
  it("guesses no entity read, still asks for the session and sets the theme", () => {
    const { early, theme } = boot("/catalog/default/component/%zz");
    expect(early).toEqual(["/api/auth/session"]);
    expect(theme).toBe("light");
  });
});

describe("boot.js with answers still to come (streamed at the end of the body)", () => {
  const byName = byNamePath("component", "default", "my-svc");
  const info = entityInfoPath("component", "default", "my-svc");
  it("fetches none of the reads listed as coming, and takes their answers once the document is parsed", async () => {
    const run = boot("/catalog/default/component/my-svc", [{ read: "/api/auth/session", status: 200, text: "{}" }], "", [byName, info]);
    expect(run.order.filter((o) => o.startsWith("fetch "))).toEqual([]);
    run.finishParsing([
      { read: byName, status: 200, text: '{"kind":"Component"}' },
      { read: info, status: 404, text: '{"error":{}}' },
    ]);
    const [entity, provenance] = (await Promise.all(run.entries.slice(0, 2).map((e) => e.response))) as Response[];
    expect([entity!.status, await entity!.text()]).toEqual([200, '{"kind":"Component"}']);
    expect(provenance!.status).toBe(404);
    expect(run.order.filter((o) => o.startsWith("fetch "))).toEqual([]);
  });

  it("a coming read the worker did not answer is fetched once the document is parsed", async () => {
    const run = boot("/catalog/default/component/my-svc", [], "", [byName, info]);
    run.finishParsing([{ read: byName, status: 200, text: "{}" }]);
    await Promise.all(run.entries.map((e) => e.response));
    // The session was not answered nor listed as coming: fetched at once; the missing one after parsing.
    expect(run.order.filter((o) => o.startsWith("fetch "))).toEqual(["fetch /api/auth/session", `fetch ${info}`]);
  });
});
