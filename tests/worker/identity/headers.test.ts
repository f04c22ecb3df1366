/**
 * Security headers on every answer the worker gives: successes, errors, redirects, unknown routes and the
 * refusal to run. API answers are data and may not be framed, sniffed, referred or run as a document.
 */
import { describe, expect, it } from "vitest";
import { createExecutionContext, env } from "cloudflare:test";
import { createApp } from "../../../worker/app";
import { ADMIN, api } from "../helpers";

function expectApiHeaders(res: Response, what: string) {
  expect(res.headers.get("content-security-policy"), what).toBe("default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
  expect(res.headers.get("x-content-type-options"), what).toBe("nosniff");
  expect(res.headers.get("x-frame-options"), what).toBe("DENY");
  expect(res.headers.get("referrer-policy"), what).toBe("no-referrer");
  expect(res.headers.get("strict-transport-security"), what).toBe("max-age=31536000; includeSubDomains");
}

describe("API security headers", () => {
  it("are on successes, errors, redirects and unknown routes", async () => {
    const answers: [string, Response][] = [
      ["health", await api("/api/health")],
      ["a catalog read", await api("/api/catalog/entities?limit=1")],
      ["a cached catalog read", await api("/api/catalog/entity-facets?facet=kind")],
      ["a cached catalog read, again", await api("/api/catalog/entity-facets?facet=kind")],
      ["a 400", await api("/api/catalog/entities?limit=0")],
      ["a 401", await api("/api/catalog/entities", {}, "anonymous")],
      ["a 403", await api("/api/jobs/dead-letters")],
      ["a 404", await api("/api/catalog/entities/by-name/component/default/none")],
      ["an unknown route", await api("/api/nope")],
      ["the sign-in redirect", await api("/api/auth/github/start", { redirect: "manual" }, "anonymous")],
      ["a write", await api("/api/auth/tokens", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: "{}" })],
    ];
    for (const [what, res] of answers) {
      await res.arrayBuffer();
      expectApiHeaders(res, what);
    }
  });

  it("are on the refusal to run, and keep personal answers out of caches", async () => {
    const refused = await createApp().request("https://portal.test/api/health", {}, { ...env, AUTH_GUEST: "user:default/guest" }, createExecutionContext());
    expect(refused.status).toBe(503);
    expectApiHeaders(refused, "refused");
    for (const path of ["/api/auth/session", "/api/auth/providers", "/api/auth/github/start"]) {
      const res = await api(path, { redirect: "manual" });
      await res.arrayBuffer();
      expect(res.headers.get("cache-control"), path).toBe("no-store");
    }
  });

  it("send no HSTS over plain http (local development)", async () => {
    const res = await createApp().request("http://127.0.0.1:8787/api/health", {}, env, createExecutionContext());
    expect(res.headers.get("strict-transport-security")).toBeNull();
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
  });
});
