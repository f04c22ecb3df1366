/**
 * What a plugin's context holds: its config (one validated JSON var; invalid → its routes answer 503 and
 * GET /api/plugins says why), exactly its declared secrets, and catalog reads as the caller; and what
 * GET /api/plugins tells the portal (never a secret's value).
 */
import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { createHookContext } from "../../../worker/plugins/context";
import { createApp } from "../../../worker/app";
import { definePluginWorker, pluginRouter, type PluginManifest } from "../../../worker/plugins/api";
import { ADMIN, component, ingest, postJson, uniq } from "../helpers";
import { json, memberSession, requester } from "./helpers";

const echo = (m: PluginManifest) => {
  const router = pluginRouter()
      .get("/config", { permission: "catalog.entity.read" }, (c) => c.json({ config: c.env.plugin.config, frozen: Object.isFrozen(c.env.plugin.config) }))
      .get("/secrets", { permission: "catalog.entity.read" }, (c) => c.json(c.env.plugin.secrets))
      .get("/entity/:ref", { permission: "catalog.entity.read" }, async (c) => c.json((await c.env.plugin.catalog.getEntityByRef(c.req.param("ref"))) ?? null))
      .get("/query", { permission: "catalog.entity.read" }, async (c) => {
        const page = await c.env.plugin.catalog.queryEntities({ filter: c.req.query("filter"), limit: 1, cursor: c.req.query("cursor"), fields: ["metadata.name"] });
        return c.json(page);
      });
  if (m.id === "ctx") router.get("/mine", { permission: "plugin.ctx.read" }, async (c) => c.json((await c.env.plugin.catalog.getEntityByRef("component:default/x")) ?? null));
  return definePluginWorker(m, { app: router });
};

const ctx: PluginManifest = {
  id: "ctx",
  title: "Context",
  version: "2.1.0",
  description: "echoes its context",
  icon: "puzzle",
  nav: [{ path: "/ctx", title: "Context" }],
  entityTabs: [{ id: "ctx-tab", title: "Ctx", when: { kind: "component" } }],
  permissions: [{ name: "plugin.ctx.read", description: "read through ctx" }],
  hosts: ["api.example.com"],
  secrets: ["API_TOKEN", "OTHER"],
  webhooks: ["push"],
  config: { type: "object", properties: { baseUrl: { type: "string", format: "uri" }, pageSize: { type: "integer", minimum: 1 } }, required: ["baseUrl"], additionalProperties: false },
};
const a: PluginManifest = { id: "a", title: "A", version: "1.0.0", secrets: ["B_TOKEN", "TOKEN"] };
const ab: PluginManifest = { id: "a-b", title: "A-B", version: "1.0.0", secrets: ["TOKEN"] };

const app = createApp([echo(ctx), echo(a), echo(ab)]);
const GOOD = { PLUGIN_CONFIG_CTX: JSON.stringify({ baseUrl: "https://api.example.com", pageSize: 5 }) };
const request = requester(app, GOOD);

describe("config", () => {
  it("hands the plugin its own section, validated and frozen", async () => {
    const res = await request("/api/plugins/ctx/config", {}, { PLUGIN_CONFIG_A: JSON.stringify({ leaked: true }) });
    expect(await json(res)).toEqual({ config: { baseUrl: "https://api.example.com", pageSize: 5 }, frozen: true });
    expect(await json(await request("/api/plugins/a/config", {}, { PLUGIN_CONFIG_A_B: '{"x":1}' }))).toEqual({ config: {}, frozen: true });
    expect(await json(await request("/api/plugins/a-b/config", {}, { PLUGIN_CONFIG_A_B: '{"x":1}' }))).toEqual({ config: { x: 1 }, frozen: true });
  });

  it("answers 503 naming the problem while the config is invalid, never running the plugin", async () => {
    const cases: [Record<string, string>, RegExp][] = [
      [{ PLUGIN_CONFIG_CTX: "{not json" }, /PLUGIN_CONFIG_CTX is not valid JSON/],
      [{ PLUGIN_CONFIG_CTX: "[1]" }, /PLUGIN_CONFIG_CTX must be a JSON object/],
      [{ PLUGIN_CONFIG_CTX: '{"pageSize":0}' }, /does not match plugin ctx's config schema: .*baseUrl/],
      [{ PLUGIN_CONFIG_CTX: '{"baseUrl":"https://x.test","pageSize":"five"}' }, /\/pageSize/],
      [{ PLUGIN_CONFIG_CTX: "" }, /baseUrl/],
    ];
    for (const [vars, message] of cases) {
      const res = await request("/api/plugins/ctx/config", {}, vars);
      expect(res.status).toBe(503);
      const body = await json(res);
      expect(body.error.name).toBe("ServiceUnavailableError");
      expect(body.error.message).toMatch(message);
    }
  });
});

describe("secrets", () => {
  const vars = { PLUGIN_A__B_TOKEN: "a-secret-b-token", PLUGIN_A__TOKEN: "a-secret", PLUGIN_A_B__TOKEN: "ab-secret", PLUGIN_A__UNDECLARED: "nope", PLUGIN_CTX__API_TOKEN: "ctx-token" };

  it("gives each plugin only the secrets its manifest declares, under its own prefix", async () => {
    expect(await json(await request("/api/plugins/a/secrets", {}, vars))).toEqual({ B_TOKEN: "a-secret-b-token", TOKEN: "a-secret" });
    expect(await json(await request("/api/plugins/a-b/secrets", {}, vars))).toEqual({ TOKEN: "ab-secret" });
    expect(await json(await request("/api/plugins/ctx/secrets", {}, vars))).toEqual({ API_TOKEN: "ctx-token" });
  });

  it("does not hand plugin a the secrets of plugin a-b, nor the other way round", async () => {
    // Under the old PLUGIN_<ID>_<NAME> scheme both of these named the same variable.
    expect(await json(await request("/api/plugins/a/secrets", {}, { PLUGIN_A_B_TOKEN: "ab-token" }))).toEqual({});
    expect(await json(await request("/api/plugins/a-b/secrets", {}, { PLUGIN_A__B_TOKEN: "a-token" }))).toEqual({});
  });
});

describe("GET /api/plugins", () => {
  it("lists installed plugins with what they declare, secrets as set or not, and config problems", async () => {
    const res = await request("/api/plugins", { headers: { cookie: await memberSession() } }, { PLUGIN_CTX__API_TOKEN: "ctx-token-value", PLUGIN_CONFIG_A_B: "{oops" });
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("ctx-token-value");
    const { items } = JSON.parse(text);
    expect(items.map((p: { id: string }) => p.id)).toEqual(["ctx", "a", "a-b"]);
    expect(items[0]).toEqual({
      id: "ctx",
      title: "Context",
      version: "2.1.0",
      description: "echoes its context",
      icon: "puzzle",
      nav: ctx.nav,
      entityTabs: ctx.entityTabs,
      entityCards: [],
      permissions: ctx.permissions,
      hosts: ["api.example.com"],
      secrets: [
        { name: "API_TOKEN", configured: true },
        { name: "OTHER", configured: false },
      ],
      webhooks: ["push"],
      config: { valid: true },
      routes: expect.arrayContaining([{ method: "GET", path: "/api/plugins/ctx/config", permission: "catalog.entity.read" }]),
    });
    expect(items[2].config).toEqual({ valid: false, message: expect.stringMatching(/PLUGIN_CONFIG_A_B is not valid JSON/) });
  });

  it("needs catalog.entity.read", async () => {
    expect((await request("/api/plugins", { headers: { "x-anonymous": "1" } })).status).toBe(401);
  });
});

describe("catalog client", () => {
  const names: string[] = [];
  beforeAll(async () => {
    const tag = uniq("ctxcat");
    for (let i = 0; i < 3; i++) names.push(`${tag}-${i}`);
    await ingest(`/${tag}`, { [`/${tag}/c.yaml`]: names.map((n) => component(n, { type: "plugin-ctx-test" })).join("\n---\n") });
  });

  it("reads entities through the catalog's own store as the caller", async () => {
    const res = await request(`/api/plugins/ctx/entity/${encodeURIComponent(`component:default/${names[0]}`)}`, { headers: { cookie: await memberSession() } });
    expect(await json(res)).toMatchObject({ kind: "Component", metadata: { name: names[0] } });
    expect(await json(await request(`/api/plugins/ctx/entity/${encodeURIComponent("component:default/absent")}`))).toBeNull();
    const bad = await request(`/api/plugins/ctx/entity/${encodeURIComponent("::")}`);
    expect(bad.status).toBe(400);
  });

  it("pages queries with a cursor", async () => {
    const first = await json(await request("/api/plugins/ctx/query?filter=spec.type%3Dplugin-ctx-test"));
    expect(first).toMatchObject({ items: [{ metadata: { name: expect.any(String) } }], totalItems: 3, nextCursor: expect.any(String) });
    expect(Object.keys(first.items[0])).toEqual(["metadata"]);
    const seen = [first.items[0].metadata.name];
    let cursor = first.nextCursor;
    while (cursor) {
      const page = await json(await request(`/api/plugins/ctx/query?cursor=${encodeURIComponent(cursor)}`));
      seen.push(page.items[0].metadata.name);
      cursor = page.nextCursor;
    }
    expect(seen.sort()).toEqual([...names].sort());
    expect((await request("/api/plugins/ctx/query?cursor=bm90LWpzb24")).status).toBe(400);
  });

  it("refuses reads to a caller who may call the plugin but not read the catalog", async () => {
    const token = await postJson("/api/auth/tokens", { name: uniq("ctx-only"), scopes: ["plugin.ctx.read"] }, ADMIN);
    expect(token.status).toBe(201);
    const res = await request("/api/plugins/ctx/mine", { headers: { authorization: `Bearer ${token.body.token}` } });
    expect(res.status).toBe(403);
    expect((await json(res)).error.message).toMatch(/catalog\.entity\.read/);
  });
});

describe("hook context", () => {
  it("runs hooks as the plugin's own service identity, which may read the catalog and nothing more", async () => {
    const hook = createHookContext({ ...env, ...GOOD } as Env, ctx);
    expect(hook.caller).toMatchObject({ type: "service", ref: "plugin:ctx", ownershipRefs: [] });
    expect(hook.caller.can("catalog.entity.read")).toBe(true);
    expect(hook.caller.can("plugin.ctx.read")).toBe(false);
    expect(hook.config).toEqual({ baseUrl: "https://api.example.com", pageSize: 5 });
    expect(await hook.catalog.getEntityByRef("component:default/absent-for-hooks")).toBeUndefined();
    expect(() => createHookContext({ ...env, PLUGIN_CONFIG_CTX: "{}" } as Env, ctx)).toThrow(/not configured correctly/);
  });
});
