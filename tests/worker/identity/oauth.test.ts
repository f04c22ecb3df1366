/**
 * Sign-in with GitHub against the fake GitHub's OAuth app: the authorization-code flow with state and
 * PKCE, the person resolved to their User entity and groups, and each way the flow must fail closed.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { ADMIN, api, getJson, ingest, uniq, yamlDocs } from "../helpers";
import { approve, callback, installFakeGithubOAuth, ORIGIN, SESSION, FLOW, setCookie, signIn, startSignIn } from "./helpers";

const revokeOnExchange = new Set<string>();
const fake = installFakeGithubOAuth({
  afterExchange: (f, body) => {
    const login = [...f.oauth.tokens.entries()].find(([t]) => t === body.access_token)?.[1].login;
    if (login && revokeOnExchange.has(login)) f.oauth.revoke(login);
  },
});

const user = (name: string, spec: Record<string, unknown> = {}, annotations: Record<string, string> = {}) => ({
  apiVersion: "backstage.io/v1alpha1",
  kind: "User",
  metadata: { name, annotations },
  spec: { profile: { displayName: name }, memberOf: [], ...spec },
});
const group = (name: string, spec: Record<string, unknown> = {}) => ({ apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name }, spec: { type: "team", children: [], ...spec } });

async function session(cookie: string) {
  const res = await api("/api/auth/session", { headers: { cookie } });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  await ingest("/org", {
    "/org/people.yaml": yamlDocs(
      user("alice-entity", { memberOf: ["team-web"] }, { "github.com/user-login": "Alice-GH" }),
      user("carol"),
      group("team-web", { parent: "engineering" }),
      group("engineering", { parent: "company" }),
      group("company"),
      group("unrelated"),
    ),
  });
});

describe("GET /api/auth/github/start", () => {
  it("redirects to GitHub's authorize page with state, an S256 code challenge and the callback, and keeps state and verifier in a short-lived HttpOnly cookie", async () => {
    const { res, authorizeUrl, flowCookie } = await startSignIn("/catalog?kind=component");
    expect(res.status).toBe(302);
    expect(`${authorizeUrl.origin}${authorizeUrl.pathname}`).toBe("https://github.com/login/oauth/authorize");
    expect(authorizeUrl.searchParams.get("client_id")).toBe("test-oauth-client");
    expect(authorizeUrl.searchParams.get("redirect_uri")).toBe("https://portal.test/api/auth/github/callback");
    expect(authorizeUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authorizeUrl.searchParams.get("code_challenge")).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(authorizeUrl.searchParams.get("state")).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    const cookie = setCookie(res, FLOW)!;
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; Secure/);
    expect(cookie).toMatch(/; SameSite=Lax/);
    expect(cookie).toMatch(/; Path=\//);
    expect(cookie).toMatch(/; Max-Age=600/);
    expect(cookie).not.toMatch(/Domain=/i);
    // The verifier never leaves the cookie, and the cookie is signed, not readable as the state alone.
    expect(flowCookie).not.toContain(authorizeUrl.searchParams.get("state"));
    expect(res.headers.get("cache-control")).toBe("no-store");
  });

  it("starts two independent flows with different state and challenge", async () => {
    const a = await startSignIn();
    const b = await startSignIn();
    expect(a.authorizeUrl.searchParams.get("state")).not.toBe(b.authorizeUrl.searchParams.get("state"));
    expect(a.authorizeUrl.searchParams.get("code_challenge")).not.toBe(b.authorizeUrl.searchParams.get("code_challenge"));
  });
});

describe("GET /api/auth/github/callback", () => {
  it("signs in a person with a User entity found by their github.com/user-login annotation, with their groups and the groups' parents", async () => {
    const { res, session: cookie, location } = await signIn(fake, "alice-gh", { name: "Alice", returnTo: "/catalog?kind=component" });
    expect(res.status).toBe(302);
    expect(location).toBe("/catalog?kind=component");
    const set = setCookie(res, SESSION)!;
    expect(set).toMatch(/^__Host-edgestage-session=[\w-]+\.[\w-]+\.[\w-]+; Max-Age=28800; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
    expect(setCookie(res, FLOW)).toMatch(/Max-Age=0/);
    const me = await session(cookie!);
    expect(me.status).toBe(200);
    expect(me.body).toMatchObject({
      type: "user",
      user: { ref: "user:default/alice-entity", login: "alice-gh", displayName: "Alice", hasEntity: true, source: "github" },
      ownershipRefs: ["user:default/alice-entity", "group:default/company", "group:default/engineering", "group:default/team-web"],
      roles: ["member"],
    });
    expect(me.body.permissions).toContain("catalog.entity.read");
    expect(me.body.permissions).not.toContain("catalog.location.create");
    expect(me.body.ownerPermissions).toEqual(["catalog.entity.refresh"]);
    // Secrets stay on the server: neither GitHub's token nor the code is in anything the browser gets.
    const token = [...fake.oauth.tokens.keys()].at(-1)!;
    expect(JSON.stringify(me.body)).not.toContain(token);
    expect(atob(cookie!.split(".")[1].replace(/-/g, "+").replace(/_/g, "/"))).not.toContain(token);
  });

  it("falls back to the User entity named like the login", async () => {
    const { session: cookie } = await signIn(fake, "Carol");
    expect((await session(cookie!)).body).toMatchObject({ user: { ref: "user:default/carol", hasEntity: true }, ownershipRefs: ["user:default/carol"] });
  });

  it("signs in a person with no User entity with only their user ref and no role: the default policy admits people the catalog knows", async () => {
    const login = uniq("newcomer");
    const { session: cookie } = await signIn(fake, login);
    const me = await session(cookie!);
    expect(me.body).toMatchObject({ user: { ref: `user:default/${login}`, hasEntity: false }, ownershipRefs: [`user:default/${login}`], roles: [] });
    expect((await getJson("/api/catalog/entities?limit=1")).status).toBe(200);
    const refused = await api("/api/catalog/entities?limit=1", { headers: { cookie: cookie! } });
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { error: { name: string } }).error.name).toBe("NotAllowedError");
  });

  it("refuses a state that is not the one this browser was given", async () => {
    fake.oauth.signIn({ login: "alice-gh" });
    const mine = await startSignIn();
    const theirs = await startSignIn();
    const back = await approve(fake, theirs.authorizeUrl);
    const exchanges = fake.oauth.exchanges.length;
    const res = await callback(back, mine.flowCookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/sign-in?error=state_mismatch");
    expect(setCookie(res, SESSION)).toBeUndefined();
    expect(fake.oauth.exchanges.length).toBe(exchanges); // the code was never even tried
  });

  it("refuses a callback without the flow cookie (another browser, or more than ten minutes later)", async () => {
    const started = await startSignIn();
    const res = await callback(await approve(fake, started.authorizeUrl), "");
    expect(res.headers.get("location")).toBe("/sign-in?error=flow_expired");
    expect(setCookie(res, SESSION)).toBeUndefined();
  });

  it("refuses a replayed code: GitHub accepts each code once", async () => {
    fake.oauth.signIn({ login: "alice-gh" });
    const started = await startSignIn();
    const back = await approve(fake, started.authorizeUrl);
    expect(setCookie(await callback(back, started.flowCookie), SESSION)).toBeDefined();
    // The same callback again, with the same (still validly signed) flow cookie: the code is spent.
    const replay = await callback(back, started.flowCookie);
    expect(replay.headers.get("location")).toBe("/sign-in?error=exchange_failed");
    expect(setCookie(replay, SESSION)).toBeUndefined();
    expect(fake.oauth.exchanges.at(-1)).toMatchObject({ error: "bad_verification_code" });
  });

  it("refuses an intercepted code used in another flow: the PKCE verifier does not match", async () => {
    fake.oauth.signIn({ login: "alice-gh" });
    const victim = await startSignIn();
    const stolen = await approve(fake, victim.authorizeUrl);
    const attacker = await startSignIn();
    const forged = new URL(stolen);
    forged.searchParams.set("state", attacker.authorizeUrl.searchParams.get("state")!);
    const res = await callback(forged, attacker.flowCookie);
    expect(res.headers.get("location")).toBe("/sign-in?error=exchange_failed");
    expect(setCookie(res, SESSION)).toBeUndefined();
    expect(fake.oauth.exchanges.at(-1)).toMatchObject({ error: "invalid_grant" });
  });

  it("refuses a token GitHub no longer honours (revoked between the exchange and reading the user)", async () => {
    const login = uniq("revoker");
    revokeOnExchange.add(login);
    const { res, session: cookie } = await signIn(fake, login);
    expect(res.headers.get("location")).toBe("/sign-in?error=token_revoked");
    expect(cookie).toBeUndefined();
  });

  it("reports a person who cancels at GitHub, keeping where they wanted to go", async () => {
    fake.oauth.setDeny(true);
    try {
      const started = await startSignIn("/docs");
      const res = await callback(await approve(fake, started.authorizeUrl), started.flowCookie);
      expect(res.headers.get("location")).toBe("/sign-in?error=access_denied&returnTo=%2Fdocs");
    } finally {
      fake.oauth.setDeny(false);
    }
  });

  it("never redirects off the portal after sign-in", async () => {
    for (const evil of ["//evil.example/x", "https://evil.example/", "/\\evil.example", "javascript:alert(1)", "/api/auth/sign-out"]) {
      const { location } = await signIn(fake, "carol", { returnTo: evil });
      expect(location).toBe("/");
    }
  });

  it("records sign-ins and failed sign-ins in the audit log", async () => {
    const login = uniq("audited");
    await signIn(fake, login);
    const started = await startSignIn();
    await callback(await approve(fake, started.authorizeUrl), "");
    await vi.waitUntil(async () => {
      const body = (await (await api("/api/auth/audit?action=auth.&limit=50", { headers: ADMIN })).json()) as any;
      return body.items.some((e: any) => e.action === "auth.sign-in" && e.actor === `user:default/${login}`) && body.items.some((e: any) => e.action === "auth.sign-in.failed");
    });
  });
});

describe("POST /api/auth/sign-out", () => {
  it("clears the session cookie, from the portal's own origin only", async () => {
    const { session: cookie } = await signIn(fake, "carol");
    const crossSite = await api("/api/auth/sign-out", { method: "POST", headers: { cookie: cookie!, origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
    const res = await api("/api/auth/sign-out", { method: "POST", headers: { cookie: cookie!, ...ORIGIN } });
    expect(res.status).toBe(204);
    expect(setCookie(res, SESSION)).toMatch(/^__Host-edgestage-session=; Max-Age=0; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
  });
});
