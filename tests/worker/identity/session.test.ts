/**
 * Sessions: a signed cookie that costs no D1 query while fresh, slides (re-resolving the ownership claims)
 * once it is older than the refresh interval, and is refused when expired, forged, tampered with or too old.
 */
import { describe, expect, it, vi } from "vitest";
import { createExecutionContext, env } from "cloudflare:test";
import { createApp } from "../../../worker/app";
import { api, ingest, uniq, yamlDocs } from "../helpers";
import { craftSession, SESSION, setCookie } from "./helpers";

const app = createApp();

/** A D1 binding that counts the statements the worker prepares. */
function countingDb() {
  let prepared = 0;
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => (prepared++, target.prepare(sql));
      if (prop === "batch") return (s: D1PreparedStatement[]) => (prepared++, target.batch(s));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, count: () => prepared };
}

/** A D1 binding that adds up the rows SQLite reads for the worker's queries (D1's `meta.rows_read`). */
function rowsReadDb() {
  let rows = 0;
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement =>
    new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...values: unknown[]) => wrap(target.bind(...values));
        if (prop === "all" || prop === "run") {
          return async () => {
            const result = await target[prop]();
            rows += result.meta.rows_read ?? 0;
            return result;
          };
        }
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
  const db = new Proxy(env.DB, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql));
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db, rowsRead: () => rows };
}

const now = () => Math.floor(Date.now() / 1000);

async function whoami(cookie: string) {
  const res = await api("/api/auth/session", { headers: { cookie } });
  return { res, body: (await res.json()) as any };
}

describe("session cookies", () => {
  it("checks a fresh session without touching D1", async () => {
    const { db, count } = countingDb();
    const cookie = await craftSession({ sub: "user:default/fresh" });
    const res = await app.request("/api/auth/session", { headers: { cookie } }, { ...env, DB: db }, createExecutionContext());
    expect(res.status).toBe(200);
    expect(((await res.json()) as any).user.ref).toBe("user:default/fresh");
    expect(count()).toBe(0);
    expect(setCookie(res, SESSION)).toBeUndefined();
  });

  it("slides a session older than ten minutes: a new cookie with the claims re-read from the catalog", async () => {
    const name = uniq("slider");
    const team = uniq("team");
    const authTime = now() - 3600;
    const cookie = await craftSession({ sub: `user:default/${name}`, own: [`user:default/${name}`], auth_time: authTime }, { iat: now() - 11 * 60 });
    // After sign-in the person joined a team.
    await ingest(`/${name}`, {
      [`/${name}/org.yaml`]: yamlDocs(
        { apiVersion: "backstage.io/v1alpha1", kind: "User", metadata: { name }, spec: { memberOf: [team] } },
        { apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: team }, spec: { type: "team", children: [] } },
      ),
    });
    const { res, body } = await whoami(cookie);
    expect(body.ownershipRefs).toEqual([`user:default/${name}`, `group:default/${team}`]);
    expect(body.user.hasEntity).toBe(true);
    const fresh = setCookie(res, SESSION)!;
    expect(fresh).toMatch(/^__Host-edgestage-session=.+; Max-Age=\d+; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    // The refreshed cookie keeps the original sign-in time, so the absolute limit still counts from it.
    const claims = JSON.parse(atob(fresh.split(";")[0].split(".")[1].replace(/-/g, "+").replace(/_/g, "/")));
    expect(claims.auth_time).toBe(authTime);
    expect(claims.iat).toBeGreaterThanOrEqual(now() - 5);
    expect(claims.own).toEqual([`user:default/${name}`, `group:default/${team}`]);
  });

  it("re-resolves a sliding session from the person's own rows, not by reading every relation in the catalog", async () => {
    // A catalog with many memberships: a lookup that walks the relations table reads them all.
    const prefix = uniq("crowd");
    const team = `${prefix}-team`;
    const people = Array.from({ length: 200 }, (_, i) => ({ apiVersion: "backstage.io/v1alpha1", kind: "User", metadata: { name: `${prefix}-${i}` }, spec: { memberOf: [team] } }));
    await ingest(`/${prefix}`, {
      [`/${prefix}/org.yaml`]: yamlDocs({ apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: team }, spec: { type: "team", children: [] } }, ...people),
    });
    const me = `user:default/${prefix}-7`;
    const cookie = await craftSession({ sub: me, own: [me], auth_time: now() - 3600 }, { iat: now() - 11 * 60 });
    const { db, rowsRead } = rowsReadDb();
    const res = await app.request("/api/auth/session", { headers: { cookie } }, { ...env, DB: db }, createExecutionContext());
    expect(((await res.json()) as any).ownershipRefs).toEqual([me, `group:default/${team}`]);
    expect(setCookie(res, SESSION)).toBeDefined();
    // The person's entity, their memberships and their groups' parents: a few dozen rows at most, whatever the catalog holds.
    expect(rowsRead()).toBeGreaterThan(0);
    expect(rowsRead()).toBeLessThan(50);
  });

  it("checks a session's signature once per isolate, and still refuses the session once it expires", async () => {
    const cookie = await craftSession({ sub: `user:default/${uniq("repeat")}` }, { exp: now() + 3600 });
    const ask = () => app.request("/api/auth/session", { headers: { cookie } }, env, createExecutionContext());
    const verify = vi.spyOn(crypto.subtle, "verify");
    try {
      for (let i = 0; i < 3; i++) expect((await ask()).status).toBe(200);
      expect(verify).toHaveBeenCalledTimes(1);
    } finally {
      verify.mockRestore();
    }
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 2 * 3600_000);
      const late = await ask();
      expect(late.status).toBe(401);
      expect(((await late.json()) as any).error.message).toBe("The session has expired; sign in again");
    } finally {
      vi.useRealTimers();
    }
  });

  it("refuses an expired session and clears the cookie", async () => {
    const { res, body } = await whoami(await craftSession({}, { iat: now() - 7200, exp: now() - 60 }));
    expect(res.status).toBe(401);
    expect(body.error).toMatchObject({ name: "AuthenticationError", message: "The session has expired; sign in again" });
    expect(setCookie(res, SESSION)).toMatch(/Max-Age=0/);
  });

  it("refuses a session past the seven-day limit even while its cookie has not expired", async () => {
    const { res } = await whoami(await craftSession({ auth_time: now() - 8 * 86400 }, { iat: now() - 60 }));
    expect(res.status).toBe(401);
  });

  it("refuses forged, tampered, unsigned and foreign tokens", async () => {
    const forged = await craftSession({ sub: "user:default/admin" }, { key: new TextEncoder().encode("another-secret-another-secret-another") });
    const genuine = await craftSession({ sub: "user:default/someone" });
    const [name, jwt] = genuine.split("=");
    const [h, , s] = jwt.split(".");
    const claims = btoa(JSON.stringify({ sub: "user:default/admin", own: ["group:default/admins"], ent: true, src: "github", auth_time: now(), iat: now(), exp: now() + 3600, iss: "edgestage", aud: "edgestage:session" }))
      .replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
    const tampered = `${name}=${h}.${claims}.${s}`;
    const none = `${name}=${btoa(JSON.stringify({ alg: "none", typ: "JWT" })).replace(/=+$/, "")}.${claims}.`;
    const flowToken = `${name}=${(await craftSession({})).split("=")[1].replace(/\.[^.]+$/, ".AAAA")}`;
    // Signed with the right key but claiming to be the development guest (an admin): never issued, so refused.
    const guest = await craftSession({ sub: "user:default/guest", src: "guest" });
    for (const cookie of [forged, tampered, none, flowToken, guest, `${name}=garbage`]) {
      const { res, body } = await whoami(cookie);
      expect(res.status).toBe(401);
      expect(body.error.message).toBe("The session cookie is not valid; sign in again");
      expect((await api("/api/catalog/entities?limit=1", { headers: { cookie } })).status).toBe(401);
    }
  });

  it("does not accept the sign-in flow's cookie as a session (different audience)", async () => {
    const { SignJWT } = await import("jose");
    const jwt = await new SignJWT({ state: "s", verifier: "v", returnTo: "/" })
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("edgestage")
      .setAudience("edgestage:github-oauth")
      .setSubject("user:default/x")
      .setIssuedAt()
      .setExpirationTime("10m")
      .sign(new TextEncoder().encode(env.SESSION_SECRET));
    expect((await whoami(`${SESSION}=${jwt}`)).res.status).toBe(401);
  });

  it("prefers an explicit bearer credential over the cookie", async () => {
    const { body } = await (async () => {
      const res = await api("/api/auth/session", { headers: { cookie: await craftSession({ sub: "user:default/cookie-person" }), authorization: "Bearer test-admin-token" } });
      return { body: (await res.json()) as any };
    })();
    expect(body).toMatchObject({ type: "admin-token", roles: ["admin"] });
  });
});
