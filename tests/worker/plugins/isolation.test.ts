/**
 * Isolation, attacked: a hostile plugin mounted next to a victim tries to read the victim's storage,
 * secrets and config, the caller's credentials and the worker's bindings, to fetch an unlisted host or an
 * internal address (the canary, in every spelling, directly and through a redirect), to write without a
 * declared permission and to declare routes guarded by another plugin's permission. Each is refused.
 */
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../../worker/app";
import { definePluginWorker, pluginRouter } from "../../../worker/plugins/api";
import { canary, canaryHits, canaryHosts, canaryReachable, installAllowedHosts } from "../security/canary";
import { ORIGIN } from "../identity/helpers";
import { hostile, victim } from "./isolation-plugins";
import { ADMIN, json, memberSession, requester } from "./helpers";

const VARS = {
  PLUGIN_CONFIG_VICTIM: JSON.stringify({ flag: "VICTIM-CONFIG" }),
  PLUGIN_VICTIM__API_TOKEN: "VICTIM-SECRET",
  // Names the old PLUGIN_<ID>_<NAME> scheme handed to both plugins.
  PLUGIN_VICTIM_API_TOKEN: "VICTIM-SECRET-OLD-NAME",
  PLUGIN_VICTIM_API__X: "not declared by anyone",
};
const app = createApp([victim, hostile]);
const request = requester(app, VARS);
let allowed: { requests: string[] };

beforeAll(async () => {
  allowed = installAllowedHosts((req) => {
    const url = new URL(req.url);
    if (url.pathname === "/ok") return new Response("fetched from an allowed host");
    if (url.pathname === "/to-canary") return Response.redirect(`${canary().url}/redirected`, 302);
    if (url.pathname === "/to-other") return Response.redirect("https://other.allowed.test/ok", 302);
    return undefined;
  });
  expect(await canaryReachable()).toBe(true);
  const put = await request("/api/plugins/victim/notes/victim-note", { method: "PUT", body: JSON.stringify({ text: "VICTIM-NOTE" }), headers: { "content-type": "application/json" } });
  expect(put.status).toBe(204);
});
afterEach(async () => {
  expect(await canaryHits()).toEqual([]);
});

describe("a hostile plugin", () => {
  it("cannot read the victim's storage, secrets or config, nor the worker's bindings", async () => {
    const res = await request("/api/plugins/victim-api/loot");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain("VICTIM");
    expect(JSON.parse(text)).toEqual({ env: ["plugin"], bindings: [], config: {}, secrets: {}, notes: [], direct: null, defaults: [] });
    // The victim itself still has all of it.
    expect(await json(await request("/api/plugins/victim/self"))).toEqual({ config: { flag: "VICTIM-CONFIG" }, secrets: { API_TOKEN: "VICTIM-SECRET" } });
    expect(await json(await request("/api/plugins/victim/notes/victim-note"))).toEqual({ text: "VICTIM-NOTE" });
  });

  it("cannot change its manifest or its context to pass for another plugin", async () => {
    const tried = await json<string[]>(await request("/api/plugins/victim-api/impersonate"));
    expect(tried.filter((t) => !t.endsWith("refused"))).toEqual([]);
    // The plugin's own manifest object is not what the mount reads: changing it changes nothing.
    (hostile.manifest as { id: string }).id = "victim";
    (hostile.manifest.secrets as string[]).push("API_TOKEN");
    try {
      const loot = await json(await request("/api/plugins/victim-api/loot"));
      expect(loot).toMatchObject({ config: {}, secrets: {}, notes: [], direct: null });
    } finally {
      (hostile.manifest as { id: string }).id = "victim-api";
      (hostile.manifest.secrets as string[]).pop();
    }
  });

  it("never sees the caller's credentials or forwarding headers", async () => {
    const sent = {
      authorization: ADMIN.authorization,
      cookie: `${await memberSession()}; other=1`,
      "cf-access-jwt-assertion": "eyJ.access.jwt",
      "cf-access-authenticated-user-email": "jane@example.com",
      "cf-connecting-ip": "203.0.113.7",
      "x-forwarded-for": "203.0.113.7",
      "x-forwarded-host": "evil.example",
      "x-real-ip": "203.0.113.7",
      "x-api-key": "KEY",
      origin: "https://portal.test",
      referer: "https://portal.test/secret-page",
      accept: "application/json",
      "accept-language": "en",
      "if-none-match": '"v1"',
    };
    const seen = await json<Record<string, string>>(await request("/api/plugins/victim-api/headers", { headers: sent }));
    expect(seen).toEqual({ accept: "application/json", "accept-language": "en", "if-none-match": '"v1"' });
  });

  it("cannot fetch a host its manifest does not list", async () => {
    for (const url of ["https://other.allowed.test/ok", "https://evil.example.com/", "https://allowed.test/ok", "ftp://ok.allowed.test/ok", "https://user:pw@ok.allowed.test/ok"]) {
      const res = await request(`/api/plugins/victim-api/fetch?url=${encodeURIComponent(url)}`);
      expect(res.status, url).toBe(403);
      expect((await json(res)).error.name).toBe("NotAllowedError");
    }
    expect(allowed.requests).toEqual([]);
    const ok = await request(`/api/plugins/victim-api/fetch?url=${encodeURIComponent("https://ok.allowed.test/ok")}`);
    expect(await json(ok)).toEqual({ status: 200, body: "fetched from an allowed host" });
  });

  it("cannot reach an internal address in any spelling, nor through a redirect from a listed host", async () => {
    for (const [i, host] of canaryHosts().entries()) {
      for (const scheme of ["http", "https"]) {
        const res = await request(`/api/plugins/victim-api/fetch?url=${encodeURIComponent(`${scheme}://${host}/probe-${i}`)}`);
        expect(res.status, host).toBe(403);
        expect(await res.text()).not.toContain(canary().secret);
      }
    }
    for (const path of ["/to-canary", "/to-other"]) {
      const res = await request(`/api/plugins/victim-api/fetch?url=${encodeURIComponent(`https://ok.allowed.test${path}`)}`);
      expect(res.status, path).toBe(403);
    }
    expect(allowed.requests.filter((u) => u.includes("other.allowed.test"))).toEqual([]);
  });

  it("cannot write without a declared route, nor with its own permission unless the policy grants it", async () => {
    expect((await request("/api/plugins/victim-api/loot", { method: "POST" })).status).toBe(405);
    expect((await request("/api/plugins/victim-api/notes/victim-note", { method: "PUT", body: "{}" })).status).toBe(404);
    const member = { cookie: await memberSession(), ...ORIGIN };
    expect((await request("/api/plugins/victim-api/mine", { method: "POST", headers: member })).status).toBe(403);
    expect((await request("/api/plugins/victim/notes/x", { method: "PUT", body: "{}", headers: member })).status).toBe(403);
  });

  it("cannot declare a write route guarded by another plugin's permission, a read permission or an undeclared one", () => {
    const attempt = (permission: string, extra = {}) => () =>
      createApp([victim, definePluginWorker({ id: "sneaky", title: "Sneaky", version: "1.0.0", ...extra }, { app: pluginRouter().post("/x", { permission }, (c) => c.json({})) })]);
    expect(attempt("plugin.victim.write")).toThrow(/neither a core permission nor one its manifest defines/);
    expect(attempt("plugin.victim.write", { permissions: [{ name: "plugin.victim.write", description: "mine now" }] })).toThrow(/must be named plugin\.sneaky\.<word>/);
    expect(attempt("catalog.entity.read")).toThrow(/write guarded by the read permission/);
    expect(attempt("plugin.sneaky.write")).toThrow(/neither a core permission/);
  });

  it("cannot list an internal address among its hosts", () => {
    for (const host of ["127.0.0.1", "localhost", "10.0.0.1", "169.254.169.254", "x.localhost"]) {
      expect(() => createApp([definePluginWorker({ id: "sneaky", title: "S", version: "1.0.0", hosts: [host] })]), host).toThrow(/host/);
    }
  });
});
