/** GET /api/auth/audit: who did what, when and from where, filtered by actor, action and time, newest first. */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN, api, postJson } from "../helpers";

const FROM = { "cf-connecting-ip": "203.0.113.7", "user-agent": "audit-test/1.0" };
let before: number;

async function audit(query: string) {
  const res = await api(`/api/auth/audit?${query}`, { headers: ADMIN });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  before = Date.now() - 1;
  await postJson("/api/catalog/locations", { type: "url", target: "https://example.invalid/audit/catalog-info.yaml" }, { ...ADMIN, ...FROM });
  await postJson("/api/github/sweep", {}, { ...ADMIN, ...FROM });
  const { body } = await postJson("/api/auth/tokens", { name: "audit", scopes: ["catalog.entity.read"] }, ADMIN);
  // A token's denied write is recorded too, under the token's name.
  await postJson("/api/github/sweep", {}, { authorization: `Bearer ${body.token}`, ...FROM });
  await vi.waitUntil(async () => (await audit("limit=500")).body.items.length >= 4);
});

describe("the audit log", () => {
  it("records admin writes with who, what, when and from where", async () => {
    const { body } = await audit("action=catalog.location.create");
    expect(body.items[0]).toMatchObject({
      actor: "admin-token",
      action: "catalog.location.create",
      method: "POST",
      path: "/api/catalog/locations",
      status: 201,
      ip: "203.0.113.7",
      userAgent: "audit-test/1.0",
      at: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
    });
    expect(Date.parse(body.items[0].at)).toBeGreaterThanOrEqual(before);
  });

  it("records refused writes by signed-in callers", async () => {
    const { body } = await audit("action=github.admin");
    expect(body.items.map((e: any) => [e.actor.startsWith("token:"), e.status, e.detail])).toContainEqual([true, 403, { denied: true }]);
  });

  it("filters by actor, action prefix and time, and pages by id", async () => {
    expect((await audit("actor=admin-token")).body.items.every((e: any) => e.actor === "admin-token")).toBe(true);
    const prefixed = (await audit("action=github.")).body.items;
    expect(prefixed.length).toBeGreaterThan(0);
    expect(prefixed.every((e: any) => e.action.startsWith("github."))).toBe(true);
    expect((await audit(`until=${before}`)).body.items).toEqual([]);
    expect((await audit(`since=${new Date(before).toISOString()}`)).body.items.length).toBeGreaterThanOrEqual(4);
    const first = await audit("limit=2");
    expect(first.body.items).toHaveLength(2);
    expect(first.body.items[0].id).toBeGreaterThan(first.body.items[1].id);
    const next = await audit(`limit=2&before=${first.body.pageInfo.nextBefore}`);
    expect(next.body.items[0].id).toBeLessThan(first.body.items[1].id);
    expect((await audit("since=yesterday")).status).toBe(400);
    expect((await audit("limit=0")).status).toBe(400);
  });

  it("is for admins only", async () => {
    expect((await api("/api/auth/audit")).status).toBe(403);
    expect((await api("/api/auth/audit", {}, "anonymous")).status).toBe(401);
  });
});
