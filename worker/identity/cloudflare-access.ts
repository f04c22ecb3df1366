/**
 * Cloudflare Access as an identity: when CF_ACCESS_TEAM_DOMAIN and CF_ACCESS_AUD are set, the
 * `Cf-Access-Jwt-Assertion` header Access adds in front of the worker is verified against the team's
 * published keys (cached by jose per isolate) and its email names the person.
 */
import { createRemoteJWKSet, errors, jwtVerify } from "jose";
import type { IdentityConfig } from "./config";

export const ACCESS_HEADER = "cf-access-jwt-assertion";

const keySets = new Map<string, ReturnType<typeof createRemoteJWKSet>>();

export type AccessIdentity = { ok: true; email: string } | { ok: false; problem: string };

export async function verifyAccessJwt(access: NonNullable<IdentityConfig["access"]>, jwt: string): Promise<AccessIdentity> {
  let keys = keySets.get(access.certsUrl);
  if (!keys) keySets.set(access.certsUrl, (keys = createRemoteJWKSet(new URL(access.certsUrl), { timeoutDuration: 5000 })));
  try {
    const { payload } = await jwtVerify(jwt, keys, { issuer: access.issuer, audience: access.audience, algorithms: ["RS256"] });
    if (typeof payload.email !== "string" || !payload.email.includes("@")) return { ok: false, problem: "The Cloudflare Access token names no email" };
    return { ok: true, email: payload.email.toLowerCase() };
  } catch (err) {
    if (err instanceof errors.JOSEError) return { ok: false, problem: `The Cloudflare Access token was refused (${err.code})` };
    throw err;
  }
}
