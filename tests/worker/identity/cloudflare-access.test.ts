/**
 * Cloudflare Access as the identity: the `Cf-Access-Jwt-Assertion` is verified against the team's keys
 * (served here by a stubbed certs endpoint), names the person by email, and becomes a session cookie so
 * the next requests need no D1 read.
 */
import { beforeAll, describe, expect, it, vi } from "vitest";
import { createExecutionContext, env } from "cloudflare:test";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from "jose";
import { createApp } from "../../../worker/app";
import { ingest, yamlDocs } from "../helpers";
import { cookiePair, SESSION, setCookie } from "./helpers";

const TEAM = "https://edgestage-test.cloudflareaccess.com";
const AUD = "aud-0123456789";
const ACCESS = { CF_ACCESS_TEAM_DOMAIN: "edgestage-test", CF_ACCESS_AUD: AUD };
const app = createApp();
const request = (path: string, headers: Record<string, string>) => app.request(`https://portal.test${path}`, { headers }, { ...env, ...ACCESS }, createExecutionContext());

let teamKey: CryptoKey;
let otherKey: CryptoKey;

async function assertion(claims: Record<string, unknown>, opts: { key?: CryptoKey; iss?: string; aud?: string; kid?: string } = {}) {
  return new SignJWT({ email: "dana@example.com", type: "app", ...claims })
    .setProtectedHeader({ alg: "RS256", kid: opts.kid ?? "team-key" })
    .setIssuer(opts.iss ?? TEAM)
    .setAudience(opts.aud ?? AUD)
    .setSubject("7c1e…")
    .setIssuedAt()
    .setExpirationTime("5m")
    .sign(opts.key ?? teamKey);
}

beforeAll(async () => {
  const pair = await generateKeyPair("RS256", { extractable: true });
  const published = { ...(await exportJWK(pair.publicKey)), kid: "team-key", alg: "RS256", use: "sig" };
  teamKey = pair.privateKey;
  ({ privateKey: otherKey } = await generateKeyPair("RS256"));
  const realFetch = globalThis.fetch;
  vi.spyOn(globalThis, "fetch").mockImplementation(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new Request(input, init).url;
    if (url === `${TEAM}/cdn-cgi/access/certs`) return Response.json({ keys: [published], public_cert: { kid: "team-key" } });
    return realFetch(input, init);
  });
  await ingest("/access", {
    "/access/people.yaml": yamlDocs(
      { apiVersion: "backstage.io/v1alpha1", kind: "User", metadata: { name: "dana-s" }, spec: { profile: { email: "Dana@example.com" }, memberOf: ["access-team"] } },
      { apiVersion: "backstage.io/v1alpha1", kind: "Group", metadata: { name: "access-team" }, spec: { type: "team", children: [] } },
    ),
  });
});

describe("Cloudflare Access", () => {
  it("signs in the person the assertion names, found by profile email, and issues a session", async () => {
    const res = await request("/api/auth/session", { "cf-access-jwt-assertion": await assertion({}) });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({
      user: { ref: "user:default/dana-s", email: "dana@example.com", source: "cloudflare-access", hasEntity: true },
      ownershipRefs: ["user:default/dana-s", "group:default/access-team"],
    });
    const cookie = cookiePair(setCookie(res, SESSION)!);
    // With the session, the next request needs no new lookup (and issues no new cookie).
    const again = await request("/api/auth/session", { "cf-access-jwt-assertion": await assertion({}), cookie });
    expect(again.status).toBe(200);
    expect(setCookie(again, SESSION)).toBeUndefined();
  });

  it("does not let a session outlive a change of the person Access vouches for", async () => {
    const first = await request("/api/auth/session", { "cf-access-jwt-assertion": await assertion({}) });
    const cookie = cookiePair(setCookie(first, SESSION)!);
    const other = await request("/api/auth/session", { "cf-access-jwt-assertion": await assertion({ email: "eve@example.com" }), cookie });
    expect(await other.json()).toMatchObject({ user: { ref: "user:default/eve", email: "eve@example.com", hasEntity: false } });
  });

  it("refuses assertions signed by another key, for another application or from another team", async () => {
    for (const bad of [
      await assertion({}, { key: otherKey }),
      await assertion({}, { aud: "someone-elses-app" }),
      await assertion({}, { iss: "https://evil.cloudflareaccess.com" }),
      await assertion({ email: undefined }),
      "not-a-jwt",
    ]) {
      const res = await request("/api/catalog/entities?limit=1", { "cf-access-jwt-assertion": bad });
      expect(res.status).toBe(401);
      expect(((await res.json()) as any).error.name).toBe("AuthenticationError");
    }
  });

  it("ignores the header when Access is not configured", async () => {
    const res = await app.request("https://portal.test/api/auth/session", { headers: { "cf-access-jwt-assertion": await assertion({}) } }, env, createExecutionContext());
    expect(res.status).toBe(401);
  });
});
