/**
 * The development guest and the refusal to run unsafely: `npm start` (EDGESTAGE_ENV=development) signs
 * everyone in as an admin guest; outside development the guest, example secrets or a broken policy make
 * every API request answer 503, logged once.
 */
import { describe, expect, it, vi } from "vitest";
import { createExecutionContext, env } from "cloudflare:test";
import { createApp } from "../../../worker/app";

const app = createApp();
const request = (path: string, extra: Record<string, string>, init: RequestInit = {}) =>
  app.request(`https://portal.test${path}`, init, { ...env, ...extra }, createExecutionContext());
const DEV = { EDGESTAGE_ENV: "development" };

describe("local development", () => {
  it("signs a caller without credentials in as the guest, an admin", async () => {
    const res = await request("/api/auth/session", DEV);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ type: "user", user: { ref: "user:default/guest", source: "guest" }, roles: ["admin"] });
    expect((await request("/api/jobs/dead-letters", DEV)).status).toBe(200);
    expect((await request("/api/auth/providers", DEV)).status).toBe(200);
  });

  it("names the guest with AUTH_GUEST, and signs nobody in with AUTH_GUEST=off", async () => {
    expect(await (await request("/api/auth/session", { ...DEV, AUTH_GUEST: "user:default/Dev-Me" })).json()).toMatchObject({ user: { ref: "user:default/dev-me" } });
    expect((await request("/api/auth/session", { ...DEV, AUTH_GUEST: "off" })).status).toBe(401);
    expect((await request("/api/catalog/entities", { ...DEV, AUTH_GUEST: "off" })).status).toBe(401);
  });

  it("refuses the guest's writes from another origin (the guest is an ambient credential like a cookie)", async () => {
    const init = { method: "POST", headers: { "content-type": "application/json", origin: "https://evil.example" }, body: "{}" };
    const res = await request("/api/github/sweep", DEV, init);
    expect(res.status).toBe(403);
    expect(((await res.json()) as any).error.message).toContain("Cross-site request refused");
    // Tools without a browser (demo:push, curl) send no Origin and are not refused.
    expect((await request("/api/auth/tokens", DEV, { ...init, headers: { "content-type": "application/json" } })).status).toBe(400);
  });

  it("still lets a wrong credential fail instead of falling back to the guest", async () => {
    expect((await request("/api/catalog/entities", DEV, { headers: { authorization: "Bearer nope" } })).status).toBe(401);
  });
});

describe("refusing to run", () => {
  const cases: [string, Record<string, string>, string][] = [
    ["the guest outside development", { AUTH_GUEST: "user:default/guest" }, "AUTH_GUEST signs everyone in as an admin and is only allowed with EDGESTAGE_ENV=development"],
    ["the example admin token", { ADMIN_TOKEN: "dev-admin-token" }, "ADMIN_TOKEN is the example value from .dev.vars.example"],
    ["the example webhook secret", { GITHUB_WEBHOOK_SECRET: "dev-webhook-secret" }, "GITHUB_WEBHOOK_SECRET is the example value"],
    ["a short session secret", { SESSION_SECRET: "short" }, "SESSION_SECRET must be at least 32 characters"],
    ["a malformed policy", { PERMISSION_POLICY: '{"roles":{"member":["catalog.entity.raed"]}}' }, "PERMISSION_POLICY.roles.member.0 must be a permission name"],
    ["a policy that is not JSON", { PERMISSION_POLICY: "{admins" }, "PERMISSION_POLICY is not valid JSON"],
    ["half a Cloudflare Access setup", { CF_ACCESS_TEAM_DOMAIN: "myteam" }, "Cloudflare Access needs both CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD"],
  ];
  for (const [what, vars, message] of cases) {
    it(`answers 503 on every API route with ${what}`, async () => {
      const errors = vi.spyOn(console, "error").mockImplementation(() => {});
      try {
        for (const path of ["/api/health", "/api/catalog/entities", "/api/auth/session", "/api/nope"]) {
          const res = await request(path, vars, { headers: { authorization: "Bearer test-admin-token" } });
          expect(res.status).toBe(503);
          expect(((await res.json()) as any).error).toMatchObject({ name: "ServiceUnavailableError", message: expect.stringContaining(message) });
        }
        expect(errors.mock.calls.filter((c) => String(c[0]).includes(message))).toHaveLength(1);
      } finally {
        errors.mockRestore();
      }
    });
  }

  it("runs with AUTH_GUEST=off outside development", async () => {
    expect((await request("/api/health", { AUTH_GUEST: "off" })).status).toBe(200);
  });
});
