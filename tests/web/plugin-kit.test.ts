/** createPluginApi (web/src/plugin-kit/api.ts): a plugin's own routes only, the API's errors as Errors, catalog reads. */
import { describe, expect, it } from "vitest";
import { ApiError } from "../../web/src/api/request";
import { createPluginApi, pluginPath } from "../../web/src/plugin-kit/api";

type Call = { url: string; init: RequestInit | undefined };

function fakeFetch(respond: (url: string) => Response) {
  const calls: Call[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    calls.push({ url: String(input), init });
    return respond(String(input));
  }) as typeof globalThis.fetch;
  return { calls, fetch };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const envelope = (name: string, message: string, status: number) => json({ error: { name, message, requestId: "r1" }, request: { method: "GET", url: "/x" }, response: { statusCode: status } }, status);

describe("pluginPath", () => {
  it("maps paths under the plugin's prefix", () => {
    expect(pluginPath("hello", "/items")).toBe("/api/plugins/hello/items");
    expect(pluginPath("hello", "items?limit=2")).toBe("/api/plugins/hello/items?limit=2");
    expect(pluginPath("hello", "/")).toBe("/api/plugins/hello/");
    // Leading slashes are dropped, so a protocol-relative URL stays a path under the prefix.
    expect(pluginPath("hello", "//evil.test/x")).toBe("/api/plugins/hello/evil.test/x");
  });

  it.each(["../other/items", "/a/../../catalog", "%2e%2e/x", "https://evil.test/x", "a\\..\\b", "javascript:alert(1)", "%zz"])("refuses %j", (path) => {
    expect(() => pluginPath("hello", path)).toThrow(ApiError);
  });
});

describe("createPluginApi", () => {
  it("fetches JSON from the plugin's routes with same-origin credentials", async () => {
    const f = fakeFetch(() => json({ items: [1, 2] }));
    const api = createPluginApi("hello", { fetch: f.fetch });
    expect(api.pluginId).toBe("hello");
    await expect(api.fetchJson("/items")).resolves.toEqual({ items: [1, 2] });
    expect(f.calls[0]!.url).toBe("/api/plugins/hello/items");
    expect(f.calls[0]!.init?.credentials).toBe("same-origin");
    expect(new Headers(f.calls[0]!.init?.headers).get("accept")).toBe("application/json");
  });

  it("sends a string body as JSON", async () => {
    const f = fakeFetch(() => new Response(null, { status: 204 }));
    await expect(createPluginApi("hello", { fetch: f.fetch }).fetchJson("/items", { method: "POST", body: JSON.stringify({ a: 1 }) })).resolves.toBeUndefined();
    expect(new Headers(f.calls[0]!.init?.headers).get("content-type")).toBe("application/json");
  });

  it("throws the API's error envelope as an Error with its name, message and status", async () => {
    const f = fakeFetch(() => envelope("NotAllowedError", "You may not write notes", 403));
    const err = await createPluginApi("hello", { fetch: f.fetch }).fetchJson("/notes").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect(err).toMatchObject({ name: "NotAllowedError", message: "You may not write notes", status: 403, requestId: "r1" });
  });

  it("turns a network failure and a non-JSON answer into named errors", async () => {
    const down = createPluginApi("hello", { fetch: (async () => { throw new TypeError("Failed to fetch"); }) as typeof fetch });
    await expect(down.fetchJson("/x")).rejects.toMatchObject({ name: "NetworkError" });
    const html = createPluginApi("hello", { fetch: fakeFetch(() => new Response("<html>", { status: 200 })).fetch });
    await expect(html.fetchJson("/x")).rejects.toMatchObject({ name: "ParseError" });
  });

  it("reads the catalog: an entity by ref (undefined when missing) and pages by query", async () => {
    const f = fakeFetch((url) => (url.includes("/by-name/component/default/missing") ? envelope("NotFoundError", "nope", 404) : url.includes("/by-name/") ? json({ kind: "Component", metadata: { name: "shop" } }) : json({ items: [], totalItems: 0, pageInfo: {} })));
    const api = createPluginApi("hello", { fetch: f.fetch });
    await expect(api.catalog.getEntityByRef("component:default/shop")).resolves.toMatchObject({ metadata: { name: "shop" } });
    await expect(api.catalog.getEntityByRef("component:missing")).resolves.toBeUndefined();
    await expect(api.catalog.getEntityByRef("component:/x")).rejects.toMatchObject({ name: "InputError" });
    await expect(api.catalog.queryEntities({ filter: "kind=api", fields: ["metadata.name"], limit: 5 })).resolves.toEqual({ items: [], totalItems: 0, pageInfo: {} });
    expect(f.calls.map((c) => c.url)).toEqual([
      "/api/catalog/entities/by-name/component/default/shop",
      "/api/catalog/entities/by-name/component/default/missing",
      "/api/catalog/entities/by-query?filter=kind%3Dapi&fields=metadata.name&limit=5",
    ]);
  });
});

describe("createPluginApi and index.html's early reads (web/public/boot.js)", () => {
  const withEarly = async (paths: Record<string, Response>, run: () => Promise<void>) => {
    const g = globalThis as { window?: unknown };
    const had = "window" in g;
    const before = g.window;
    g.window = { __edgestageEarly: Object.entries(paths).map(([path, res]) => ({ path, at: performance.now(), response: Promise.resolve(res) })) };
    try {
      await run();
    } finally {
      if (had) g.window = before;
      else delete g.window;
    }
  };

  it("a plain GET for a path boot.js already started takes that response once, then fetches", async () => {
    const f = fakeFetch(() => json({ from: "fetch" }));
    const api = createPluginApi("techdocs", { fetch: f.fetch });
    await withEarly({ "/api/plugins/techdocs/sites/default/component/a": json({ from: "early" }) }, async () => {
      await expect(api.fetchJson("/sites/default/component/a")).resolves.toEqual({ from: "early" });
      expect(f.calls).toHaveLength(0);
      await expect(api.fetchJson("/sites/default/component/a")).resolves.toEqual({ from: "fetch" });
      expect(f.calls).toHaveLength(1);
    });
  });

  it("a write, or a read with its own signal, never takes an early response", async () => {
    const f = fakeFetch(() => json({ from: "fetch" }));
    const api = createPluginApi("techdocs", { fetch: f.fetch });
    await withEarly({ "/api/plugins/techdocs/x": json({ from: "early" }), "/api/plugins/techdocs/y": json({ from: "early" }) }, async () => {
      await expect(api.fetchJson("/x", { method: "POST", body: "{}" })).resolves.toEqual({ from: "fetch" });
      await expect(api.fetchJson("/y", { signal: new AbortController().signal })).resolves.toEqual({ from: "fetch" });
      expect(f.calls.map((c) => c.url)).toEqual(["/api/plugins/techdocs/x", "/api/plugins/techdocs/y"]);
    });
  });
});
