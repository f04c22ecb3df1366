/**
 * Rate limits (the Workers Rate Limiting binding, wrangler.toml [[ratelimits]]): sign-in attempts per
 * client address, and writes per caller. The sign-in test uses an address of its own, since the binding's
 * counts are shared by every test file.
 */
import { describe, expect, it } from "vitest";
import { createExecutionContext, env } from "cloudflare:test";
import { createApp } from "../../../worker/app";
import { ADMIN, api, postJson } from "../helpers";
import { craftSession, ORIGIN } from "./helpers";

/** The limiter counts in windows aligned to the minute: start a burst early in one, so it stays in one. */
async function atStartOfWindow(needSeconds: number) {
  const into = (Date.now() / 1000) % 60;
  if (into > 60 - needSeconds) await new Promise((r) => setTimeout(r, (60 - into) * 1000 + 50));
}

describe("rate limits", () => {
  it("slow down sign-in attempts from one address, and not others", async () => {
    const from = { "cf-connecting-ip": "192.0.2.77" };
    await atStartOfWindow(10);
    const statuses: number[] = [];
    for (let i = 0; i < 70; i++) statuses.push((await api("/api/auth/github/start", { redirect: "manual", headers: from }, "anonymous")).status);
    expect(statuses.slice(0, 60).every((s) => s === 302)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
    const limited = await api("/api/auth/github/start", { redirect: "manual", headers: from }, "anonymous");
    expect(limited.headers.get("retry-after")).toBe("60");
    expect(((await limited.json()) as any).error).toMatchObject({ name: "TooManyRequestsError", message: "Too many sign-in attempts; try again in a minute" });
    expect((await api("/api/auth/github/start", { redirect: "manual", headers: { "cf-connecting-ip": "192.0.2.78" } }, "anonymous")).status).toBe(302);
  });

  it("slow down writes per caller, and leave reads alone", async () => {
    // WRITE_LIMITER allows 600 writes a minute, too many to send here: a limiter of 3 stands in for it,
    // counting per key as the binding does, to show what the seam keys on and what it refuses.
    const counts = new Map<string, number>();
    const WRITE_LIMITER = { limit: async ({ key }: { key: string }) => ({ success: (counts.set(key, (counts.get(key) ?? 0) + 1).get(key) ?? 0) <= 3 }) };
    const app = createApp();
    const request = (path: string, init: RequestInit) => app.request(`https://portal.test${path}`, init, { ...env, WRITE_LIMITER }, createExecutionContext());
    const { body } = await postJson("/api/auth/tokens", { name: "busy ci", scopes: ["catalog.location.delete", "catalog.entity.read"] }, ADMIN);
    const busy = { authorization: `Bearer ${body.token}` };
    const statuses: number[] = [];
    for (let i = 0; i < 5; i++) statuses.push((await request(`/api/catalog/locations/none-${i}`, { method: "DELETE", headers: busy })).status);
    expect(statuses).toEqual([404, 404, 404, 429, 429]);
    expect([...counts.keys()]).toEqual([`token:${body.serviceToken.id}`]);
    const limited = await request("/api/catalog/locations/none", { method: "DELETE", headers: busy });
    expect(((await limited.json()) as any).error).toMatchObject({ name: "TooManyRequestsError", message: "Too many writes; try again in a minute" });
    // Reads are not counted; another caller's writes go on; the admin token (bulk loads) is not limited.
    expect((await request("/api/catalog/entities?limit=1", { headers: busy })).status).toBe(200);
    const member = await craftSession({ sub: "user:default/busy-member" });
    expect((await request("/api/catalog/refresh", { method: "POST", headers: { cookie: member, ...ORIGIN, "content-type": "application/json" }, body: "{}" })).status).toBe(403);
    for (let i = 0; i < 5; i++) expect((await request("/api/catalog/locations/none", { method: "DELETE", headers: ADMIN })).status).toBe(404);
    expect([...counts.keys()]).toEqual([`token:${body.serviceToken.id}`]); // neither the refused member nor the admin token counted
  });
});
