/**
 * The permission policy: defaults (members read, owners refresh what they own, admins do everything),
 * PERMISSION_POLICY overrides, and plugins whose writes are refused unless they declare a permission.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createExecutionContext, env } from "cloudflare:test";
import fc from "fast-check";
import { createApp } from "../../../worker/app";
import { CORE_PERMISSIONS, type Permission } from "../../../worker/identity/permissions";
import { decide, DEFAULT_POLICY, parsePolicy } from "../../../worker/identity/policy";
import type { Principal } from "../../../worker/identity/principal";
import { definePluginWorker, pluginRouter } from "../../../worker/plugins/api";
import { ADMIN, api, component, ingest, yamlDocs } from "../helpers";
import { craftSession, ORIGIN } from "./helpers";

const PERMISSIONS = Object.keys(CORE_PERMISSIONS) as Permission[];
const member = (ref: string, own: string[] = []) => craftSession({ sub: ref, own: [ref, ...own] });

beforeAll(async () => {
  await ingest("/policy", {
    "/policy/all.yaml": yamlDocs(
      { apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: "payments" }, spec: { type: "team", children: [] } },
      { apiVersion: "backstage.io/v1alpha1", kind: "User", metadata: { name: "known-person" }, spec: { memberOf: ["payments"] } },
      component("payments-api", { owner: "payments" }),
      component("search-api", { owner: "search" }),
      component("my-tool", { owner: "user:personal-owner" }),
    ),
  });
});

async function refresh(cookie: string, entityRef: string) {
  return api("/api/catalog/refresh", { method: "POST", headers: { cookie, "content-type": "application/json", ...ORIGIN }, body: JSON.stringify({ entityRef }) });
}

describe("the default policy", () => {
  it("lets owners refresh what they own, through their groups or themselves, and nothing else", async () => {
    const payer = await member("user:default/payer", ["group:default/payments"]);
    expect((await refresh(payer, "component:default/payments-api")).status).toBe(200);
    expect((await refresh(payer, "Component:default/Payments-API")).status).toBe(200);
    const other = await refresh(payer, "component:default/search-api");
    expect(other.status).toBe(403);
    expect(((await other.json()) as any).error.message).toBe("Not allowed to catalog.entity.refresh: only owners of component:default/search-api and admins may");
    expect((await refresh(await member("user:default/personal-owner"), "component:default/my-tool")).status).toBe(200);
    const admin = await api("/api/catalog/refresh", { method: "POST", headers: { ...ADMIN, "content-type": "application/json" }, body: JSON.stringify({ entityRef: "component:default/search-api" }) });
    expect(admin.status).toBe(200);
  });

  it("lets members read but not write", async () => {
    const cookie = await member("user:default/reader");
    const headers = { cookie, "content-type": "application/json", ...ORIGIN };
    expect((await api("/api/catalog/entities?limit=1", { headers })).status).toBe(200);
    expect((await api("/api/github/repos", { headers })).status).toBe(200);
    expect((await api("/api/catalog/locations", { method: "POST", headers, body: JSON.stringify({ type: "url", target: "https://example.invalid/x.yaml" }) })).status).toBe(403);
    expect((await api("/api/catalog/entities/by-uid/x", { method: "DELETE", headers })).status).toBe(403);
    expect((await api("/api/jobs/dead-letters", { headers })).status).toBe(403);
    expect((await api("/api/auth/audit", { headers })).status).toBe(403);
  });

  it("grants nothing to anonymous callers, everything to admins, and service tokens exactly their scopes", () => {
    const principal: fc.Arbitrary<Principal> = fc.oneof(
      fc.constant<Principal>({ type: "anonymous" }),
      fc.record({ type: fc.constant("service" as const), id: fc.string(), name: fc.string(), scopes: fc.subarray(PERMISSIONS) }),
      fc.record({
        type: fc.constant("user" as const),
        ref: fc.constantFrom("user:default/a", "user:default/b"),
        ownershipRefs: fc.subarray(["group:default/x", "group:default/y"]),
        hasEntity: fc.boolean(),
        source: fc.constantFrom("github" as const, "cloudflare-access" as const),
      }),
    );
    fc.assert(
      fc.property(principal, fc.constantFrom(...PERMISSIONS), (p, permission) => {
        const d = decide(DEFAULT_POLICY, p, permission);
        if (p.type === "anonymous") return d === "deny";
        if (p.type === "service") return d === (p.scopes.includes(permission) ? "allow" : "deny");
        if (p.type !== "user") return false;
        const asAdmin = decide({ ...DEFAULT_POLICY, admins: [p.ref] }, p, permission);
        // Members are the people the catalog knows (a User entity): a stranger who signed in holds no role.
        const member = p.hasEntity && DEFAULT_POLICY.roles.member.includes(permission);
        return asAdmin === "allow" && (member ? d === "allow" : d !== "allow");
      }),
    );
    expect(decide(DEFAULT_POLICY, { type: "admin-token" }, "identity.token.manage")).toBe("allow");
  });
});

describe("PERMISSION_POLICY", () => {
  const app = createApp();
  const request = (path: string, policy: object, init: RequestInit = {}) =>
    app.request(`https://portal.test${path}`, init, { ...env, PERMISSION_POLICY: JSON.stringify(policy) }, createExecutionContext());

  it("makes the members of a group admins", async () => {
    const cookie = await member("user:default/lead", ["group:default/payments"]);
    const policy = { admins: ["Group:default/Payments"] };
    expect((await request("/api/jobs/dead-letters", policy, { headers: { cookie } })).status).toBe(200);
    expect((await request("/api/jobs/dead-letters", {}, { headers: { cookie } })).status).toBe(403);
    expect(await (await request("/api/auth/session", policy, { headers: { cookie } })).json()).toMatchObject({ roles: ["member", "admin"] });
  });

  it("requires a User entity to be a member by default, and admits anyone signed in with members: any", async () => {
    const stranger = await craftSession({ sub: "user:default/stranger", ent: false });
    const known = await craftSession({ sub: "user:default/known-person", ent: true });
    for (const policy of [{}, { members: "catalog" }]) {
      expect((await request("/api/catalog/entities?limit=1", policy, { headers: { cookie: stranger } })).status).toBe(403);
      expect((await request("/api/catalog/entities?limit=1", policy, { headers: { cookie: known } })).status).toBe(200);
    }
    expect((await request("/api/catalog/entities?limit=1", { members: "any" }, { headers: { cookie: stranger } })).status).toBe(200);
  });

  it("can open reads to anonymous callers while writes still need a credential", async () => {
    const policy = { roles: { anonymous: ["catalog.entity.read"] } };
    expect((await request("/api/catalog/entities?limit=1", policy)).status).toBe(200);
    expect((await request("/api/catalog/locations", policy)).status).toBe(401);
    expect((await request("/api/catalog/entities/by-uid/x", policy, { method: "DELETE" })).status).toBe(401);
  });

  it("parses over the defaults and names what is wrong", () => {
    expect(parsePolicy('{"roles":{"owner":[]}}')).toEqual({ ...DEFAULT_POLICY, roles: { ...DEFAULT_POLICY.roles, owner: [] } });
    expect(() => parsePolicy('{"admins":["alice"]}')).toThrow("PERMISSION_POLICY.admins.0 must be a full user or group ref");
    expect(() => parsePolicy('{"roles":{"superuser":["*"]}}')).toThrow(/PERMISSION_POLICY.roles/);
    expect(() => parsePolicy('{"members":"everyone"}')).toThrow(/PERMISSION_POLICY.members/);
  });
});

describe("plugin permissions", () => {
  const notes = (id: string, write: boolean) => {
    const router = pluginRouter().get("/", { permission: "catalog.entity.read" }, (c) => c.json({ ok: true }));
    if (write) router.post("/", { permission: `plugin.${id}.write` }, (c) => c.json({ wrote: true }));
    return definePluginWorker({ id, title: id, version: "1.0.0", permissions: write ? [{ name: `plugin.${id}.write`, description: "write notes" }] : [] }, { app: router });
  };
  const app = createApp([notes("readonly", false), notes("writable", true)]);
  const request = (path: string, init: RequestInit, extra: Record<string, string> = {}) => app.request(`https://portal.test${path}`, init, { ...env, ...extra }, createExecutionContext());

  it("refuses writes to a plugin that declares no write route, even to admins", async () => {
    expect((await request("/api/plugins/readonly", { headers: ADMIN })).status).toBe(200);
    const res = await request("/api/plugins/readonly", { method: "POST", headers: ADMIN });
    expect(res.status).toBe(405);
    expect(((await res.json()) as any).error.message).toBe("POST is not allowed on /api/plugins/readonly; allowed: GET, HEAD");
    expect((await request("/api/plugins/readonly", { method: "POST" })).status).toBe(401);
  });

  it("checks a declared write permission through the policy", async () => {
    const cookie = await member("user:default/writer");
    const headers = { cookie, ...ORIGIN };
    expect((await request("/api/plugins/writable", { method: "POST", headers: ADMIN })).status).toBe(200);
    expect((await request("/api/plugins/writable", { method: "POST", headers })).status).toBe(403);
    const policy = { PERMISSION_POLICY: JSON.stringify({ roles: { member: [...DEFAULT_POLICY.roles.member, "plugin.writable.write"] } }) };
    expect((await request("/api/plugins/writable", { method: "POST", headers }, policy)).status).toBe(200);
    expect((await request("/api/plugins/writable", { headers: { cookie } })).status).toBe(200);
  });
});
