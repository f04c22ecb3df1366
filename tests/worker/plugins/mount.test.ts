/**
 * The plugin mount: declared routes behind their permissions, the plugin's own Hono environment, the one
 * error shape (404 for undeclared paths, 405 for undeclared methods), and the refusals at mount time.
 */
import { describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app";
import { ApiError, definePluginWorker, pluginRouter, type PluginManifest, type WorkerPlugin } from "../../../worker/plugins/api";
import { Hono } from "hono";
import { json, memberSession, requester } from "./helpers";
import { ORIGIN } from "../identity/helpers";

const manifest = (id: string, extra: Partial<PluginManifest> = {}): PluginManifest => ({ id, title: id, version: "1.0.0", ...extra });

function notes(id: string) {
  return definePluginWorker(manifest(id, { permissions: [{ name: `plugin.${id}.write`, description: "write notes" }] }), {
    app: pluginRouter()
      .get("/whoami", { permission: "catalog.entity.read" }, (c) =>
        c.json({ id: c.env.plugin.id, sees: Object.keys(c.env), caller: c.env.plugin.caller, canWrite: c.env.plugin.caller.can(`plugin.${id}.write`), requestId: c.get("requestId") }),
      )
      .put("/notes/:key", { permission: `plugin.${id}.write` }, async (c) => {
        await c.env.plugin.storage.table("notes").put(c.req.param("key"), await c.req.json());
        return c.body(null, 204);
      })
      .get("/notes", { permission: "catalog.entity.read" }, async (c) => c.json(await c.env.plugin.storage.table("notes").list()))
      .get("/boom", { permission: "catalog.entity.read" }, () => {
        throw new ApiError("ConflictError", "plugin says no");
      })
      .get("/crash", { permission: "catalog.entity.read" }, () => {
        throw new Error("a plugin bug");
      })
      .post("/echo", { permission: `plugin.${id}.write` }, async (c) => c.json({ bytes: (await c.req.arrayBuffer()).byteLength }))
      .get("/cookie", { permission: "catalog.entity.read" }, (c) => c.body("x", 200, { "set-cookie": "__Host-edgestage-session=stolen; Path=/" })),
  });
}

const app = createApp([notes("notes"), notes("other-notes")]);
const request = requester(app);

describe("plugin mount point", () => {
  it("runs a declared route with only the plugin's context as its environment", async () => {
    const res = await request("/api/plugins/notes/whoami");
    expect(res.status).toBe(200);
    const body = await json(res);
    expect(body).toMatchObject({ id: "notes", sees: ["plugin"], caller: { type: "service", ref: "admin-token", ownershipRefs: [] }, canWrite: true });
    expect(body.requestId).toBeTruthy();
  });

  it("tells the plugin who calls, and what the policy lets them do", async () => {
    const res = await request("/api/plugins/notes/whoami", { headers: { cookie: await memberSession() } });
    expect(await json(res)).toMatchObject({ caller: { type: "user", ref: "user:default/test-member", ownershipRefs: ["user:default/test-member"] }, canWrite: false });
  });

  it("keeps each plugin's storage in its own namespace", async () => {
    await request("/api/plugins/notes/notes/a", { method: "PUT", body: JSON.stringify({ text: "mine" }) });
    await request("/api/plugins/other-notes/notes/a", { method: "PUT", body: JSON.stringify({ text: "theirs" }) });
    expect(await json(await request("/api/plugins/notes/notes"))).toMatchObject({ items: [{ key: "a", value: { text: "mine" } }] });
    expect(await json(await request("/api/plugins/other-notes/notes"))).toMatchObject({ items: [{ key: "a", value: { text: "theirs" } }] });
  });

  it("checks each route's permission before the plugin runs", async () => {
    const anonymous = await request("/api/plugins/notes/whoami", { headers: { "x-anonymous": "1" } });
    expect(anonymous.status).toBe(401);
    const member = await request("/api/plugins/notes/notes/b", { method: "PUT", body: "{}", headers: { cookie: await memberSession(), ...ORIGIN, "content-type": "application/json" } });
    expect(member.status).toBe(403);
    expect((await json(member)).error.message).toContain("plugin.notes.write");
    expect(await json(await request("/api/plugins/notes/notes"))).toMatchObject({ items: [{ key: "a" }] });
  });

  it("renders plugin errors, undeclared paths and methods in the API's error shape", async () => {
    const boom = await request("/api/plugins/notes/boom");
    expect(boom.status).toBe(409);
    expect(await json(boom)).toMatchObject({ error: { name: "ConflictError", message: "plugin says no" }, request: { url: "/api/plugins/notes/boom" }, response: { statusCode: 409 } });
    const crash = await request("/api/plugins/notes/crash");
    expect(crash.status).toBe(500);
    expect((await json(crash)).error.message).toBe("Internal server error");
    const missing = await request("/api/plugins/notes/nope");
    expect(missing.status).toBe(404);
    expect((await json(missing)).error.name).toBe("NotFoundError");
    const wrongMethod = await request("/api/plugins/notes/whoami", { method: "DELETE" });
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("GET, HEAD");
    expect((await json(wrongMethod)).error.name).toBe("MethodNotAllowedError");
    expect((await request("/api/plugins/unknown/x")).status).toBe(404);
    expect((await request("/api/plugins/notes/nope", { headers: { "x-anonymous": "1" } })).status).toBe(401);
  });

  it("caps request bodies at 10 MiB, declared or streamed, with a 413", async () => {
    const ok = await request("/api/plugins/notes/echo", { method: "POST", body: "x".repeat(1000) });
    expect(await json(ok)).toEqual({ bytes: 1000 });
    const declared = await request("/api/plugins/notes/echo", { method: "POST", body: "x", headers: { "content-length": String(11 * 1024 * 1024) } });
    expect(declared.status).toBe(413);
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const stream = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 11) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const streamed = await request("/api/plugins/notes/echo", { method: "POST", body: stream });
    expect(streamed.status).toBe(413);
    expect((await json(streamed)).error.name).toBe("PayloadTooLargeError");
  });

  it("never lets a plugin set cookies on the portal's origin", async () => {
    const res = await request("/api/plugins/notes/cookie");
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
  });
});

describe("mount-time checks", () => {
  const ok = (c: { json: (v: unknown) => Response }) => c.json({});
  const refuse = (plugins: WorkerPlugin[], message: RegExp) => expect(() => createApp(plugins)).toThrow(message);

  it("refuses invalid or duplicate plugin ids", () => {
    for (const id of ["Bad Id", "a--b", "-a", "a-", "a_b", "1a", "x".repeat(41)]) refuse([definePluginWorker(manifest(id))], /ids are lower-case words/);
    refuse([definePluginWorker(manifest("a")), definePluginWorker(manifest("a"))], /listed twice/);
  });

  it("refuses malformed hosts, permissions, secret names and versions", () => {
    for (const host of ["https://api.example.com", "api.example.com/path", "user@api.example.com", "API.example.com", "127.0.0.1", "localhost", "[::1]", "*"]) {
      refuse([definePluginWorker(manifest("h", { hosts: [host] }))], /host/);
    }
    refuse([definePluginWorker(manifest("p", { permissions: [{ name: "plugin.other.write", description: "x" }] }))], /must be named plugin\.p\.<word>/);
    refuse([definePluginWorker(manifest("p", { permissions: [{ name: "catalog.entity.delete", description: "x" }] }))], /must be named plugin\.p\.<word>/);
    for (const secret of ["api_token", "A__B", "_A", "A_", "A-B"]) refuse([definePluginWorker(manifest("s", { secrets: [secret] }))], /secret/);
    refuse([definePluginWorker(manifest("v", { version: "one" }))], /semantic version/);
    refuse([definePluginWorker(manifest("c", { config: [] as never }))], /config must be a JSON Schema object/);
  });

  it("refuses an entity card that replaces something other than a core card", () => {
    refuse([definePluginWorker(manifest("r", { entityCards: [{ id: "x", title: "X", replaces: "about" as never }] }))], /replaces 'about', which is not a core card \(apis\)/);
    expect(() => createApp([definePluginWorker(manifest("r", { entityCards: [{ id: "x", title: "X", replaces: "apis" }] }))])).not.toThrow();
  });

  it("refuses routes that were not declared through pluginRouter()", () => {
    const raw = { manifest: manifest("raw"), app: new Hono().get("/x", (c) => c.json({})) } as unknown as WorkerPlugin;
    refuse([raw], /pluginRouter\(\)/);
  });

  it("refuses route permissions that are neither core nor the plugin's own", () => {
    const own = manifest("w", { permissions: [{ name: "plugin.w.write", description: "x" }] });
    refuse([definePluginWorker(own, { app: pluginRouter().post("/x", { permission: "plugin.w.delete" }, ok) })], /neither a core permission nor one its manifest defines/);
    refuse([definePluginWorker(own, { app: pluginRouter().get("/x", { permission: "plugin.other.read" }, ok) })], /neither a core permission/);
    refuse([definePluginWorker(own, { app: pluginRouter().get("/x", { permission: "everything" }, ok) })], /neither a core permission/);
    refuse([definePluginWorker(own, { app: pluginRouter().post("/x", { permission: "catalog.entity.read" }, ok) })], /write guarded by the read permission/);
    expect(() => createApp([definePluginWorker(own, { app: pluginRouter().post("/x", { permission: "plugin.w.write" }, ok) })])).not.toThrow();
  });

  it("refuses route paths with wildcards or dot segments and routes without a permission", () => {
    expect(() => pluginRouter().get("/x/*", { permission: "catalog.entity.read" }, ok)).toThrow(/paths start with/);
    expect(() => pluginRouter().get("/../x", { permission: "catalog.entity.read" }, ok)).toThrow(/paths start with/);
    expect(() => pluginRouter().get("/x", undefined as never, ok)).toThrow(/declare its permission/);
    expect(() => pluginRouter().get("/x", { permission: "catalog.entity.read" }, ok).get("/x", { permission: "catalog.entity.read" }, ok)).toThrow(/twice/);
  });
});
