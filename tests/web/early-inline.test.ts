/**
 * Answers the worker wrote into a deep link's page (worker/portal/inline.ts) are read from their data blocks,
 * not through the Response boot.js made of them (api/early.ts): reading a Response body waits for a later task,
 * and on a cold load each such wait let the browser paint a half-built page. Whatever comes out must be what
 * the Response path gives for the same answer.
 */
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { takeEarlyResponse } from "../../web/src/api/early";
import { ApiError, isInlineAnswer, request } from "../../web/src/api/request";
import { createPluginApi } from "../../web/src/plugin-kit/api";

interface Block {
  read: string;
  status: number;
  text: string;
}

const g = globalThis as { window?: unknown; document?: unknown };
const saved = { window: g.window, document: g.document };

/** A page as the browser holds it once parsed: boot.js's early reads and the worker's data blocks. */
function page(blocks: Block[], early: Record<string, Promise<Response>> = {}, at = performance.now()) {
  const elements = blocks.map((b) => ({ getAttribute: (n: string) => (n === "data-read" ? b.read : n === "data-status" ? String(b.status) : null), textContent: b.text }));
  g.document = { querySelectorAll: (selector: string) => (selector === 'script[type="application/json"][data-read]' ? elements : []) };
  const paths = new Set([...blocks.map((b) => b.read), ...Object.keys(early)]);
  // A read answered in the page has a Response that never settles here: taking it would hang the test.
  g.window = { __edgestageEarly: [...paths].map((path) => ({ path, at, response: early[path] ?? new Promise<Response>(() => undefined) })) };
}

afterEach(() => {
  g.window = saved.window;
  g.document = saved.document;
  if (saved.window === undefined) delete g.window;
  if (saved.document === undefined) delete g.document;
});

const envelope = (name: string, message: string, status: number) => JSON.stringify({ error: { name, message }, request: { method: "GET", url: "/x" }, response: { statusCode: status } });
const noFetch = (() => Promise.reject(new Error("fetched"))) as typeof fetch;

/** What request() makes of `status` + `text`: its value, or its error's name, status and message. */
async function outcome(run: () => Promise<unknown>) {
  try {
    return { value: await run() };
  } catch (err) {
    const e = err as ApiError;
    return { error: { name: e.name, status: e.status, message: e.message } };
  }
}

describe("early reads the worker answered in the page", () => {
  it("takes the block's text, once, and never the Response boot.js made of it", async () => {
    page([{ read: "/api/catalog/entities/by-name/component/default/a", status: 200, text: '{"kind":"Component"}' }]);
    const first = takeEarlyResponse("/api/catalog/entities/by-name/component/default/a");
    expect(first && isInlineAnswer(first) && first).toEqual({ status: 200, text: '{"kind":"Component"}' });
    expect(takeEarlyResponse("/api/catalog/entities/by-name/component/default/a")).toBeUndefined();
  });

  it("falls back to boot.js's response for a read with no block, and to nothing once it is stale", async () => {
    const res = Promise.resolve(new Response("{}"));
    page([], { "/api/auth/session": res });
    expect(takeEarlyResponse("/api/auth/session")).toBe(res);
    page([{ read: "/api/auth/session", status: 200, text: "{}" }], {}, performance.now() - 60_000);
    expect(takeEarlyResponse("/api/auth/session")).toBeUndefined();
  });

  it("request() answers from the block without reading a Response: the value, or the API's error", async () => {
    page([
      { read: "/api/a", status: 200, text: '{"items":[1,2]}' },
      { read: "/api/b", status: 404, text: envelope("NotFoundError", "No entity named b", 404) },
      { read: "/api/c", status: 200, text: "<html>" },
      { read: "/api/d", status: 401, text: "not json" },
    ]);
    const read = (p: string) => request(p, { pending: takeEarlyResponse(p), fetch: noFetch });
    await expect(read("/api/a")).resolves.toEqual({ items: [1, 2] });
    await expect(read("/api/b")).rejects.toMatchObject({ name: "NotFoundError", status: 404, message: "No entity named b" });
    await expect(read("/api/c")).rejects.toMatchObject({ name: "ParseError", status: 200 });
    await expect(read("/api/d")).rejects.toMatchObject({ name: "AuthenticationError", status: 401 });
  });

  it("a plugin's fetchJson answers from the block too, with the same errors, and fetches the next time", async () => {
    const calls: string[] = [];
    const api = createPluginApi("techdocs", { fetch: (async (u: RequestInfo | URL) => (calls.push(String(u)), new Response('{"from":"fetch"}', { headers: { "content-type": "application/json" } }))) as typeof fetch });
    page([
      { read: "/api/plugins/techdocs/sites/default/component/a", status: 200, text: '{"from":"page"}' },
      { read: "/api/plugins/techdocs/sites/default/component/b", status: 404, text: envelope("NotFoundError", "No docs", 404) },
    ]);
    await expect(api.fetchJson("/sites/default/component/a")).resolves.toEqual({ from: "page" });
    await expect(api.fetchJson("/sites/default/component/b")).rejects.toMatchObject({ name: "NotFoundError", message: "No docs" });
    expect(calls).toEqual([]);
    await expect(api.fetchJson("/sites/default/component/a")).resolves.toEqual({ from: "fetch" });
    expect(calls).toEqual(["/api/plugins/techdocs/sites/default/component/a"]);
  });

  it("for any answer the block gives what the Response path gives", async () => {
    const body = fc.oneof(
      fc.json(),
      fc.string(),
      fc.record({ name: fc.constantFrom("NotFoundError", "InputError", "NotAllowedError", "Error", ""), message: fc.string(), status: fc.integer({ min: 400, max: 499 }) }).map((e) => envelope(e.name, e.message, e.status)),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(200, 201, 400, 401, 403, 404, 409, 422), body, async (status, text) => {
        page([{ read: "/api/p", status, text }]);
        const inline = await outcome(() => request("/api/p", { pending: takeEarlyResponse("/api/p"), fetch: noFetch }));
        const viaResponse = await outcome(() => request("/api/p", { pending: Promise.resolve(new Response(text, { status, headers: { "content-type": "application/json" } })), fetch: noFetch }));
        expect(inline).toEqual(viaResponse);
        // A plugin's fetchJson, the same way: from the block, and from a fetch of the same answer.
        page([{ read: "/api/plugins/techdocs/p", status, text }]);
        const fetchSame = (async () => new Response(text, { status, headers: { "content-type": "application/json" } })) as typeof fetch;
        const pluginInline = await outcome(() => createPluginApi("techdocs", { fetch: noFetch }).fetchJson("/p"));
        const pluginFetched = await outcome(() => createPluginApi("techdocs", { fetch: fetchSame }).fetchJson("/p"));
        expect(pluginInline).toEqual(pluginFetched);
      }),
      { numRuns: 300 },
    );
  });
});
