/**
 * Service tokens: created by admins and shown once, stored hashed, scoped, revocable, expiring, with a
 * last-used time written at most once a minute; and the unmodified @backstage/catalog-client using one.
 */
import { describe, expect, it } from "vitest";
import { env, SELF } from "cloudflare:test";
import { CatalogClient } from "@backstage/catalog-client";
import { ADMIN, api, BASE, component, getJson, ingest, postJson, uniq } from "../helpers";

async function createToken(scopes: string[], opts: { name?: string; headers?: Record<string, string>; expiresInDays?: number } = {}) {
  return postJson("/api/auth/tokens", { name: opts.name ?? uniq("ci"), scopes, ...(opts.expiresInDays ? { expiresInDays: opts.expiresInDays } : {}) }, opts.headers ?? ADMIN);
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

describe("service tokens", () => {
  it("are shown once and stored only as a SHA-256 hash", async () => {
    const { status, body } = await createToken(["catalog.entity.read"], { name: "nightly export" });
    expect(status).toBe(201);
    expect(body.token).toMatch(/^est_[A-Za-z0-9_-]{43}$/);
    expect(body.serviceToken).toMatchObject({ name: "nightly export", scopes: ["catalog.entity.read"], createdBy: "admin-token", revokedAt: null, lastUsedAt: null, expiresAt: null });
    const listed = await api("/api/auth/tokens", { headers: ADMIN });
    const text = await listed.text();
    expect(text).toContain(body.serviceToken.id);
    expect(text).not.toContain(body.token);
    const row = await env.DB.prepare("SELECT hash FROM service_tokens WHERE id = ?").bind(body.serviceToken.id).first<{ hash: string }>();
    const digest = [...new Uint8Array(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(body.token)))].map((b) => b.toString(16).padStart(2, "0")).join("");
    expect(row?.hash).toBe(digest);
  });

  it("grant exactly their scopes", async () => {
    const { body } = await createToken(["catalog.entity.read"]);
    expect((await api("/api/catalog/entities?limit=1", { headers: bearer(body.token) })).status).toBe(200);
    const write = await postJson("/api/catalog/locations", { type: "url", target: "https://github.com/o/r/blob/main/catalog-info.yaml" }, bearer(body.token));
    expect(write.status).toBe(403);
    expect(write.body.error.message).toBe("Not allowed to catalog.location.create: the token's scopes do not include catalog.location.create");
    expect((await api("/api/auth/tokens", { headers: bearer(body.token) })).status).toBe(403);
  });

  it("stop working when revoked, and revoking twice keeps the first time", async () => {
    const { body } = await createToken(["catalog.entity.read"]);
    const revoked = await api(`/api/auth/tokens/${body.serviceToken.id}`, { method: "DELETE", headers: ADMIN });
    expect(revoked.status).toBe(200);
    const first = ((await revoked.json()) as any).serviceToken.revokedAt;
    expect(first).toEqual(expect.any(String));
    const res = await api("/api/catalog/entities?limit=1", { headers: bearer(body.token) });
    expect(res.status).toBe(401);
    expect(((await res.json()) as any).error.message).toBe("The service token is unknown, expired or revoked");
    const again = await api(`/api/auth/tokens/${body.serviceToken.id}`, { method: "DELETE", headers: ADMIN });
    expect(((await again.json()) as any).serviceToken.revokedAt).toBe(first);
    expect((await api("/api/auth/tokens/nope", { method: "DELETE", headers: ADMIN })).status).toBe(404);
  });

  it("stop working when they expire", async () => {
    const { body } = await createToken(["catalog.entity.read"], { expiresInDays: 30 });
    expect(Date.parse(body.serviceToken.expiresAt) - Date.now()).toBeGreaterThan(29 * 86_400_000);
    expect((await api("/api/catalog/entities?limit=1", { headers: bearer(body.token) })).status).toBe(200);
    await env.DB.prepare("UPDATE service_tokens SET expires_at = ? WHERE id = ?").bind(Date.now() - 1, body.serviceToken.id).run();
    expect((await api("/api/catalog/entities?limit=1", { headers: bearer(body.token) })).status).toBe(401);
  });

  it("record when they were last used, at most once a minute", async () => {
    const { body } = await createToken(["catalog.entity.read"]);
    const lastUsed = async () => (await env.DB.prepare("SELECT last_used_at AS t FROM service_tokens WHERE id = ?").bind(body.serviceToken.id).first<{ t: number | null }>())?.t ?? null;
    await api("/api/catalog/entities?limit=1", { headers: bearer(body.token) });
    await expect.poll(lastUsed).not.toBeNull();
    const first = await lastUsed();
    for (let i = 0; i < 3; i++) await api("/api/catalog/entities?limit=1", { headers: bearer(body.token) });
    await new Promise((r) => setTimeout(r, 50));
    expect(await lastUsed()).toBe(first);
    // A minute later the next use moves it.
    await env.DB.prepare("UPDATE service_tokens SET last_used_at = ? WHERE id = ?").bind(Date.now() - 61_000, body.serviceToken.id).run();
    await api("/api/catalog/entities?limit=1", { headers: bearer(body.token) });
    await expect.poll(lastUsed).toBeGreaterThan(Date.now() - 5_000);
  });

  it("cannot be given more than their creator holds", async () => {
    const { body: minter } = await createToken(["identity.token.manage", "catalog.entity.read"]);
    const stronger = await createToken(["catalog.location.create"], { headers: bearer(minter.token) });
    expect(stronger.status).toBe(403);
    expect(stronger.body.error.message).toBe("Not allowed to grant catalog.location.create: the caller does not hold it");
    const same = await createToken(["catalog.entity.read"], { headers: bearer(minter.token) });
    expect(same.status).toBe(201);
    expect(same.body.serviceToken.createdBy).toBe(`token:${minter.serviceToken.id}`);
  });

  it("are created by admins only, with named scopes", async () => {
    expect((await postJson("/api/auth/tokens", { name: "x", scopes: ["catalog.entity.read"] }, {})).status).toBe(403); // a member
    expect((await postJson("/api/auth/tokens", { name: "x", scopes: ["catalog.entity.read"] }, {}, "anonymous")).status).toBe(401);
    for (const [body, message] of [
      [{ name: "x", scopes: ["catalog.everything"] }, "'scopes.0' must be a permission name"],
      [{ name: "x", scopes: [] }, "'scopes' must name at least one permission"],
      [{ name: " ", scopes: ["catalog.entity.read"] }, "'name' must not be empty"],
      [{ name: "x", scopes: ["catalog.entity.read"], admin: true }, "'admin'"],
    ] as const) {
      const res = await postJson("/api/auth/tokens", body, ADMIN);
      expect(res.status).toBe(400);
      expect(res.body.error.message).toContain(message);
    }
  });

  it("record their creation and revocation in the audit log", async () => {
    const { body } = await createToken(["catalog.entity.read"]);
    await api(`/api/auth/tokens/${body.serviceToken.id}`, { method: "DELETE", headers: ADMIN });
    expect((await getJson("/api/auth/audit?action=identity.token.manage")).status).toBe(403); // members may not read it
    await expect
      .poll(async () => {
        const res = await api("/api/auth/audit?action=identity.token.manage&limit=500", { headers: ADMIN });
        const items = ((await res.json()) as any).items.filter((e: any) => e.target === `token:${body.serviceToken.id}`);
        return items.map((e: any) => `${e.method} ${e.status} ${e.actor}`).sort();
      })
      .toEqual(["DELETE 200 admin-token", "POST 201 admin-token"]);
  });
});

describe("@backstage/catalog-client with a service token", () => {
  it("reads and registers through the unmodified client", async () => {
    const name = uniq("cc-token");
    await ingest(`/${name}`, { [`/${name}/a.yaml`]: component(name) });
    const { body } = await createToken(["catalog.entity.read", "catalog.location.read", "catalog.location.create"]);
    const client = new CatalogClient({ discoveryApi: { getBaseUrl: async () => `${BASE}/api/catalog` }, fetchApi: { fetch: (input: any, init?: any) => SELF.fetch(input, init) } });
    const { items } = await client.getEntities({ filter: { "metadata.name": name } }, { token: body.token });
    expect(items.map((e) => e.metadata.name)).toEqual([name]);
    expect((await client.getEntityByRef(`component:default/${name}`, { token: body.token }))?.metadata.name).toBe(name);
    const added = await client.addLocation({ type: "url", target: `https://example.invalid/${name}/catalog-info.yaml` }, { token: body.token });
    expect(added.location.target).toContain(name);
    // The same calls without the token are refused the way Backstage clients expect.
    await expect(client.getEntities({ filter: { "metadata.name": name } })).rejects.toMatchObject({ name: "ResponseError", response: { status: 401 } });
    await expect(client.removeLocationById(added.location.id, { token: body.token })).rejects.toMatchObject({ response: { status: 403 } });
  });
});
