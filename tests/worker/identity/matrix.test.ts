/**
 * The authorization matrix, generated from the route table (`app.routes`): every route × every kind of
 * caller gets the status the policy says. A route missing from EXPECTED fails the first test, so a new
 * route cannot ship without stating who may call it, and the matrix then proves that it checks.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { createExecutionContext, env } from "cloudflare:test";
import { createApp } from "../../../worker/app";
import type { Permission } from "../../../worker/identity/permissions";
import { DEFAULT_POLICY } from "../../../worker/identity/policy";
import { definePluginWorker, pluginRouter } from "../../../worker/plugins/api";
import { ADMIN, component, ingest, postJson, yamlDocs } from "../helpers";
import { craftSession, ORIGIN } from "./helpers";

/** Who may call each route: a permission (through the policy), or a rule of the route's own. */
type Rule = Permission | "public" | "signed-in" | "webhook-signature" | "refused";

const EXPECTED: Record<string, Rule> = {
  "GET /api/health": "public",
  "GET /api/auth/github/start": "public",
  "GET /api/auth/github/callback": "public",
  "GET /api/auth/providers": "public",
  "GET /api/auth/session": "signed-in",
  "POST /api/auth/sign-out": "public",
  "POST /api/auth/tokens": "identity.token.manage",
  "GET /api/auth/tokens": "identity.token.manage",
  "DELETE /api/auth/tokens/:id": "identity.token.manage",
  "GET /api/auth/audit": "identity.audit.read",
  "GET /api/catalog/entities": "catalog.entity.read",
  "GET /api/catalog/entities/by-query": "catalog.entity.read",
  "GET /api/catalog/entities/by-uid/:uid": "catalog.entity.read",
  "DELETE /api/catalog/entities/by-uid/:uid": "catalog.entity.delete",
  "GET /api/catalog/entities/by-name/:kind/:namespace/:name": "catalog.entity.read",
  "GET /api/catalog/entities/by-name/:kind/:namespace/:name/ancestry": "catalog.entity.read",
  "POST /api/catalog/entities/by-refs": "catalog.entity.read",
  "GET /api/catalog/entity-facets": "catalog.entity.read",
  "GET /api/catalog/locations": "catalog.location.read",
  "POST /api/catalog/locations/by-query": "catalog.location.read",
  "POST /api/catalog/locations": "catalog.location.create",
  "GET /api/catalog/locations/by-entity/:kind/:namespace/:name": "catalog.location.read",
  "GET /api/catalog/locations/:id": "catalog.location.read",
  "DELETE /api/catalog/locations/:id": "catalog.location.delete",
  "POST /api/catalog/refresh": "catalog.entity.refresh",
  "POST /api/catalog/validate-entity": "catalog.entity.validate",
  "POST /api/catalog/ingest": "catalog.location.create",
  "GET /api/catalog/changes": "catalog.entity.read",
  "GET /api/catalog/processing-errors": "catalog.entity.read",
  "GET /api/catalog/entity-info/:kind/:namespace/:name": "catalog.entity.read",
  "GET /api/catalog/graph": "catalog.entity.read",
  "GET /api/search": "catalog.entity.read",
  "GET /api/search/documents": "catalog.entity.read",
  "POST /api/github/webhook": "webhook-signature",
  "GET /api/github/repos": "github.read",
  "POST /api/github/imports": "github.admin",
  "GET /api/github/imports": "github.read",
  "GET /api/github/imports/:id": "github.read",
  "GET /api/github/deliveries": "github.admin",
  "GET /api/github/deliveries/:id": "github.admin",
  "POST /api/github/sweep": "github.admin",
  "GET /api/jobs/dead-letters": "jobs.admin",
  "POST /api/jobs/dead-letters/:id/replay": "jobs.admin",
  "GET /api/scaffolder/v2/actions": "scaffolder.action.list",
  "GET /api/scaffolder/v2/templates/:namespace/:kind/:name/parameter-schema": "scaffolder.template.parameter.read",
  "POST /api/scaffolder/v2/tasks": "scaffolder.task.create",
  "GET /api/scaffolder/v2/tasks": "scaffolder.task.read",
  "GET /api/scaffolder/v2/tasks/:id": "scaffolder.task.read",
  "GET /api/scaffolder/v2/tasks/:id/events": "scaffolder.task.read",
  "GET /api/scaffolder/v2/tasks/:id/eventstream": "scaffolder.task.read",
  "POST /api/scaffolder/v2/tasks/:id/cancel": "scaffolder.task.cancel",
  "POST /api/scaffolder/v2/dry-run": "scaffolder.task.create",
  "GET /api/plugins": "catalog.entity.read",
  // The proxy: each endpoint's reads need proxy.<name>.read, every other method proxy.<name>.write (no role
  // but admin holds either by default). `:name` is called as matrix-owned, which is not configured: a caller
  // the permission lets through gets the 404 for an unknown endpoint, everyone else 401/403.
  "GET /api/proxy/:name/*": "proxy.matrix-owned.read",
  "POST /api/proxy/:name/*": "proxy.matrix-owned.write",
  "PUT /api/proxy/:name/*": "proxy.matrix-owned.write",
  "PATCH /api/proxy/:name/*": "proxy.matrix-owned.write",
  "DELETE /api/proxy/:name/*": "proxy.matrix-owned.write",
  // Plugins: each route declares its permission; anything undeclared under a plugin is a 404/405 for readers.
  "GET /api/plugins/matrix-ro/items": "catalog.entity.read",
  "GET /api/plugins/matrix-ro/*": "catalog.entity.read",
  "POST /api/plugins/matrix-ro/*": "catalog.entity.read",
  "GET /api/plugins/matrix-rw/items": "catalog.entity.read",
  "POST /api/plugins/matrix-rw/items": "plugin.matrix-rw.write",
  "GET /api/plugins/matrix-rw/*": "catalog.entity.read",
  "POST /api/plugins/matrix-rw/*": "catalog.entity.read",
};

const plugin = (id: string, write: boolean) => {
  const router = pluginRouter().get("/items", { permission: "catalog.entity.read" }, (c) => c.json({ ok: true }));
  if (write) router.post("/items", { permission: `plugin.${id}.write` }, (c) => c.json({ ok: true }));
  return definePluginWorker({ id, title: id, version: "1.0.0", permissions: write ? [{ name: `plugin.${id}.write`, description: "write" }] : [] }, { app: router });
};
const app = createApp([plugin("matrix-ro", false), plugin("matrix-rw", true)]);
const POLICY = JSON.stringify({ admins: ["group:default/matrix-admins"] });
const OWNED = "component:default/matrix-owned";

/** Every (method, path) the app serves; `ALL` plugin mounts are called as GET and POST. */
function routeTable(): { method: string; path: string }[] {
  const seen = new Map<string, { method: string; path: string }>();
  for (const r of app.routes) {
    if (r.path === "*" || r.path === "/*") continue; // app-wide middleware
    for (const method of r.method === "ALL" ? ["GET", "POST"] : [r.method]) seen.set(`${method} ${r.path}`, { method, path: r.path });
  }
  return [...seen.values()];
}

const concrete = (path: string) =>
  path.replace(":kind", "component").replace(":namespace", "default").replace(":name", "matrix-owned").replace(/:[a-z]+/g, "missing").replace("*", "x");

type CallerKind = "anonymous" | "invalid" | "member" | "owner" | "admin" | "admin-token" | "token-with" | "token-without";
interface Caller {
  name: string;
  kind: CallerKind;
  headers(permission: Rule): Record<string, string>;
}

const tokens = new Map<string, string>();
let callers: Caller[] = [];

function allowedFor(kind: CallerKind, rule: Rule): boolean {
  if (rule === "public") return true;
  if (rule === "refused" || rule === "webhook-signature") return false;
  if (kind === "anonymous" || kind === "invalid") return false;
  if (rule === "signed-in") return true;
  if (kind === "admin" || kind === "admin-token" || kind === "token-with") return true;
  if (kind === "token-without") return false;
  const memberMay = DEFAULT_POLICY.roles.member.includes(rule);
  return memberMay || (kind === "owner" && DEFAULT_POLICY.roles.owner.includes(rule));
}

function expectedStatus(kind: CallerKind, rule: Rule): "allowed" | 400 | 401 | 403 {
  if (allowedFor(kind, rule)) return "allowed";
  if (rule === "webhook-signature") return 400; // the webhook refuses a request without GitHub's headers before any credential counts (its signature: webhook-body.test.ts)
  return kind === "anonymous" || kind === "invalid" ? 401 : 403;
}

beforeAll(async () => {
  await ingest("/matrix", {
    "/matrix/all.yaml": yamlDocs(
      { apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: "matrix-owners" }, spec: { type: "team", children: [] } },
      component("matrix-owned", { owner: "matrix-owners" }),
    ),
  });
  for (const permission of new Set(Object.values(EXPECTED))) {
    if (!permission.includes(".")) continue;
    const res = await postJson("/api/auth/tokens", { name: `matrix ${permission}`, scopes: [permission] }, ADMIN);
    expect(res.status, `token for ${permission}`).toBe(201);
    tokens.set(permission, res.body.token);
  }
  const member = await craftSession({ sub: "user:default/matrix-member" });
  const owner = await craftSession({ sub: "user:default/matrix-owner", own: ["user:default/matrix-owner", "group:default/matrix-owners"] });
  const admin = await craftSession({ sub: "user:default/matrix-admin", own: ["user:default/matrix-admin", "group:default/matrix-admins"] });
  const now = Math.floor(Date.now() / 1000);
  const expired = await craftSession({ sub: "user:default/matrix-admin", own: ["group:default/matrix-admins"] }, { iat: now - 7200, exp: now - 1 });
  const forged = await craftSession({ sub: "user:default/matrix-admin", own: ["group:default/matrix-admins"] }, { key: new TextEncoder().encode("x".repeat(40)) });
  const [, body, sig] = member.split(".");
  const claims = JSON.parse(atob(body.replace(/-/g, "+").replace(/_/g, "/")));
  const tampered = `${member.split(".")[0]}.${btoa(JSON.stringify({ ...claims, own: ["group:default/matrix-admins"] })).replace(/=+$/, "").replace(/\+/g, "-").replace(/\//g, "_")}.${sig}`;
  const cookie = (value: string) => () => ({ cookie: value, ...ORIGIN });
  const someOtherScope = (rule: Rule) => tokens.get(rule === "catalog.entity.read" ? "jobs.admin" : "catalog.entity.read")!;
  callers = [
    { name: "anonymous", kind: "anonymous", headers: () => ({}) },
    { name: "member (session)", kind: "member", headers: cookie(member) },
    { name: "owner of the entity (session)", kind: "owner", headers: cookie(owner) },
    { name: "admin by group (session)", kind: "admin", headers: cookie(admin) },
    { name: "ADMIN_TOKEN", kind: "admin-token", headers: () => ADMIN },
    { name: "service token with the permission", kind: "token-with", headers: (rule) => ({ authorization: `Bearer ${tokens.get(rule) ?? someOtherScope(rule)}` }) },
    { name: "service token without it", kind: "token-without", headers: (rule) => ({ authorization: `Bearer ${someOtherScope(rule)}` }) },
    { name: "expired session", kind: "invalid", headers: cookie(expired) },
    { name: "forged session", kind: "invalid", headers: cookie(forged) },
    { name: "tampered session", kind: "invalid", headers: cookie(tampered) },
    { name: "wrong token", kind: "invalid", headers: () => ({ authorization: "Bearer est_not-a-real-token" }) },
    { name: "wrong admin token", kind: "invalid", headers: () => ({ authorization: "Bearer test-admin-tokem" }) },
  ];
});

async function call(method: string, path: string, headers: Record<string, string>, extraEnv: Record<string, string> = {}) {
  const body = method === "GET" || method === "HEAD" ? undefined : JSON.stringify(path.endsWith("/refresh") ? { entityRef: OWNED } : {});
  return app.request(
    `https://portal.test${concrete(path)}`,
    { method, redirect: "manual", headers: { "content-type": "application/json", ...headers }, body },
    { ...env, PERMISSION_POLICY: POLICY, ...extraEnv },
    createExecutionContext(),
  );
}

describe("the route table", () => {
  it("states who may call every route, and names no route that is gone", () => {
    const served = routeTable().map((r) => `${r.method} ${r.path}`);
    expect(served.filter((r) => !(r in EXPECTED)), "routes with no expectation in EXPECTED").toEqual([]);
    expect(Object.keys(EXPECTED).filter((r) => !served.includes(r)), "expectations for routes that do not exist").toEqual([]);
  });
});

describe("authorization matrix", () => {
  for (const { method, path } of routeTable()) {
    const rule = EXPECTED[`${method} ${path}`];
    it(`${method} ${path} (${rule})`, async () => {
      const problems: string[] = [];
      for (const caller of callers) {
        const res = await call(method, path, caller.headers(rule));
        const expected = expectedStatus(caller.kind, rule);
        const ok = expected === "allowed" ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === expected;
        if (!ok) problems.push(`${caller.name}: expected ${expected}, got ${res.status} ${(await res.text()).slice(0, 200)}`);
      }
      expect(problems).toEqual([]);
    });
  }

  it("lets the development guest do what an admin may (and nothing the route refuses)", async () => {
    const problems: string[] = [];
    for (const { method, path } of routeTable()) {
      const rule = EXPECTED[`${method} ${path}`];
      const res = await call(method, path, {}, { EDGESTAGE_ENV: "development" });
      const expected = expectedStatus("admin", rule);
      const ok = expected === "allowed" ? res.status !== 401 && res.status !== 403 && res.status < 500 : res.status === expected;
      if (!ok) problems.push(`${method} ${path}: expected ${expected}, got ${res.status}`);
    }
    expect(problems).toEqual([]);
  });

  it("refuses every state-changing route to a session cookie sent from another site", async () => {
    const problems: string[] = [];
    const admin = callers.find((c) => c.kind === "admin")!.headers("public");
    for (const { method, path } of routeTable()) {
      if (method === "GET") continue;
      const res = await call(method, path, { ...admin, origin: "https://evil.example" });
      const text = await res.text();
      if (res.status !== 403 || !text.includes("Cross-site request refused")) problems.push(`${method} ${path}: ${res.status} ${text.slice(0, 120)}`);
      const sniffed = await call(method, path, { cookie: admin.cookie, "sec-fetch-site": "cross-site" });
      if (sniffed.status !== 403) problems.push(`${method} ${path} (Sec-Fetch-Site: cross-site): ${sniffed.status}`);
    }
    expect(problems).toEqual([]);
  });
});
