import { describe, expect, it } from "vitest";
import { env, createExecutionContext } from "cloudflare:test";
import { Hono } from "hono";
import { createApp } from "../../../worker/app";
import type { PluginEnv, WorkerPlugin } from "../../../worker/plugins/types";
import { ApiError } from "../../../worker/errors";

function notesPlugin(id: string): WorkerPlugin {
  const app = new Hono<PluginEnv>()
    .get("/whoami", (c) => c.json({ id: c.env.plugin.id, config: c.env.plugin.config, sees: Object.keys(c.env) }))
    .put("/notes/:key", async (c) => {
      await c.env.plugin.storage.put(c.req.param("key"), await c.req.json());
      return c.body(null, 204);
    })
    .get("/notes", async (c) => c.json(await c.env.plugin.storage.list()))
    .get("/boom", () => {
      throw new ApiError("ConflictError", "plugin says no");
    });
  return { id, title: id, app, writePermission: `plugin.${id}.write` };
}

const app = createApp([notesPlugin("notes"), notesPlugin("other-notes")]);
const request = (path: string, init: RequestInit = {}, extraEnv: Record<string, string> = {}) =>
  app.request(path, { ...init, headers: { authorization: "Bearer test-admin-token", ...init.headers } }, { ...env, ...extraEnv }, createExecutionContext());

describe("plugin mount point", () => {
  it("mounts each plugin at /api/plugins/<id> with only its own config", async () => {
    const res = await request("/api/plugins/notes/whoami", {}, { PLUGIN_NOTES_API_KEY: "k1", PLUGIN_OTHER_NOTES_API_KEY: "k2" });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: "notes", config: { API_KEY: "k1" }, sees: ["plugin"] });
  });

  it("keeps each plugin's storage in its own namespace", async () => {
    await request("/api/plugins/notes/notes/a", { method: "PUT", body: JSON.stringify({ text: "mine" }) });
    await request("/api/plugins/other-notes/notes/a", { method: "PUT", body: JSON.stringify({ text: "theirs" }) });
    expect(await (await request("/api/plugins/notes/notes")).json()).toEqual([{ key: "a", value: { text: "mine" } }]);
    expect(await (await request("/api/plugins/other-notes/notes")).json()).toEqual([{ key: "a", value: { text: "theirs" } }]);
  });

  it("renders plugin errors and unknown plugin routes in the API's error shape", async () => {
    const boom = await request("/api/plugins/notes/boom");
    expect(boom.status).toBe(409);
    expect(await boom.json()).toMatchObject({ error: { name: "ConflictError", message: "plugin says no" }, response: { statusCode: 409 } });
    const missing = await request("/api/plugins/notes/nope");
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { error: { name: string } }).error.name).toBe("NotFoundError");
    expect((await request("/api/plugins/unknown/x")).status).toBe(404);
  });

  it("refuses invalid or duplicate plugin ids", () => {
    expect(() => createApp([notesPlugin("Bad Id")])).toThrow(/invalid or duplicate/);
    expect(() => createApp([notesPlugin("a"), notesPlugin("a")])).toThrow(/invalid or duplicate/);
  });
});
