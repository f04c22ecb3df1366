/**
 * /api/auth: sign-in and the session (github/start, github/callback, POST sign-out, GET session, GET
 * providers), service tokens (POST, GET, DELETE /tokens/:id) and the audit log (GET /audit).
 */
import { Hono } from "hono";
import * as v from "valibot";
import type { AppEnv } from "../env";
import { authorize, can } from "../access";
import { ApiError } from "../errors";
import { limitBody, readJsonObject } from "../http";
import { audit } from "./audit";
import { principalOf } from "./authenticate";
import { identityConfig } from "./config";
import { githubSignInRoutes } from "./github-oauth";
import { CORE_PERMISSIONS, isPermission, type Permission } from "./permissions";
import { summarize } from "./policy";
import { clearSessionCookie } from "./session";
import { insertServiceToken, listAudit, listServiceTokens, revokeServiceToken } from "./store";
import { hashToken, newToken } from "./tokens";

const KNOWN = Object.keys(CORE_PERMISSIONS) as Permission[];
const DAY_MS = 86_400_000;

const TokenRequest = v.strictObject({
  name: v.pipe(v.string(), v.trim(), v.minLength(1, "must not be empty"), v.maxLength(100, "must be at most 100 characters")),
  scopes: v.pipe(v.array(v.custom<Permission>(isPermission, "must be a permission name")), v.minLength(1, "must name at least one permission")),
  expiresInDays: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(3650))),
});

function parseCount(value: string | undefined, name: string, max: number): number | undefined {
  if (value === undefined || value === "") return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > max) throw new ApiError("InputError", `Invalid ${name}: expected a whole number from 1 to ${max}`);
  return n;
}

function parseTime(value: string | undefined, name: string): number | undefined {
  if (value === undefined || value === "") return undefined;
  const t = /^\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(t)) throw new ApiError("InputError", `Invalid ${name}: expected an ISO date or milliseconds since the epoch`);
  return t;
}

export const authRoutes = new Hono<AppEnv>()
  .route("/", githubSignInRoutes)

  .get("/providers", (c) => {
    const config = identityConfig(c.env);
    return c.json({ github: Boolean(config.github && config.sessionKey), cloudflareAccess: Boolean(config.access), guest: Boolean(config.guest) });
  })

  .get("/session", async (c) => {
    const principal = await principalOf(c);
    if (principal.type === "anonymous") throw new ApiError("AuthenticationError", principal.problem ?? "Not signed in");
    const { policy } = identityConfig(c.env);
    const user =
      principal.type === "user"
        ? {
            ref: principal.ref,
            login: principal.login ?? null,
            email: principal.email ?? null,
            displayName: principal.displayName ?? null,
            picture: principal.picture ?? null,
            hasEntity: principal.hasEntity,
            source: principal.source,
          }
        : null;
    return c.json({
      type: principal.type,
      user,
      token: principal.type === "service" ? { id: principal.id, name: principal.name } : null,
      ownershipRefs: principal.type === "user" ? principal.ownershipRefs : [],
      ...summarize(policy, principal, KNOWN),
      expiresAt: principal.type === "user" && principal.expiresAt ? new Date(principal.expiresAt).toISOString() : null,
    });
  })

  .post("/sign-out", async (c) => {
    const principal = await principalOf(c);
    if (principal.type === "user" && principal.source !== "guest") audit(c, principal, { action: "auth.sign-out", target: principal.ref });
    c.header("set-cookie", clearSessionCookie(), { append: true });
    return c.body(null, 204);
  })

  .post("/tokens", authorize("identity.token.manage"), limitBody(16 * 1024), async (c) => {
    const parsed = v.safeParse(TokenRequest, await readJsonObject(c));
    if (!parsed.success) {
      const issue = parsed.issues[0];
      throw new ApiError("InputError", `Invalid body: '${v.getDotPath(issue) ?? "body"}' ${issue.message}`);
    }
    const { name, scopes, expiresInDays } = parsed.output;
    // A token can do at most what its creator can: a token allowed to mint tokens cannot mint a stronger one.
    const beyond = scopes.filter((s) => !can(c, s));
    if (beyond.length) throw new ApiError("NotAllowedError", `Not allowed to grant ${beyond.join(", ")}: the caller does not hold it`);
    const { id, token } = newToken();
    const principal = await principalOf(c);
    const created = await insertServiceToken(c.env.DB, {
      id,
      name,
      hash: await hashToken(token),
      scopes: [...new Set(scopes)],
      createdBy: principal.type === "user" ? principal.ref : principal.type === "service" ? `token:${principal.id}` : "admin-token",
      expiresAt: expiresInDays ? Date.now() + expiresInDays * DAY_MS : null,
    });
    c.set("auditTarget", `token:${id}`);
    return c.json({ token, serviceToken: created }, 201);
  })

  .get("/tokens", authorize("identity.token.manage"), async (c) => c.json({ items: await listServiceTokens(c.env.DB) }))

  .delete("/tokens/:id", authorize("identity.token.manage"), async (c) => {
    const id = c.req.param("id");
    c.set("auditTarget", `token:${id}`);
    const revoked = await revokeServiceToken(c.env.DB, id, Date.now());
    if (!revoked) throw new ApiError("NotFoundError", `No service token with id ${id}`);
    return c.json({ serviceToken: revoked });
  })

  .get("/audit", authorize("identity.audit.read"), async (c) => {
    const q = c.req.query();
    const limit = parseCount(q.limit, "limit", 500) ?? 100;
    const before = parseCount(q.before, "before", Number.MAX_SAFE_INTEGER);
    const items = await listAudit(c.env.DB, {
      actor: q.actor?.toLowerCase() || undefined,
      action: q.action || undefined,
      since: parseTime(q.since, "since"),
      until: parseTime(q.until, "until"),
      before,
      limit,
    });
    const last = items.at(-1);
    return c.json({ items, pageInfo: items.length === limit && last ? { nextBefore: last.id } : {} });
  });
