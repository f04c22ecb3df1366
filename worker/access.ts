/**
 * The access seam: every route declares the permission it needs with `authorize(permission)`, and the
 * policy (identity/policy.ts, overridable with PERMISSION_POLICY) decides for the caller the identity
 * step resolved (identity/authenticate.ts). Writes that pass are rate limited per caller and audited.
 */
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env";
import { ApiError } from "./errors";
import { parseEntityRef, stringifyEntityRef } from "./catalog/entity-ref";
import { audit } from "./identity/audit";
import { principalOf } from "./identity/authenticate";
import { identityConfig } from "./identity/config";
import { isReadPermission, type Permission } from "./identity/permissions";
import { decide } from "./identity/policy";
import { actorOf, ANONYMOUS, type Principal } from "./identity/principal";
import { enforceLimit } from "./identity/rate-limit";
import { ownersOf } from "./identity/store";

export type { Permission } from "./identity/permissions";

/** The entity a request acts on (lower-cased ref), for permissions owners hold on what they own. */
export type EntityOf = (c: Context<AppEnv>) => Promise<string | null>;

/** The entity named by a JSON body's `entityRef` (POST /refresh); null when there is none to read. */
export const entityRefInBody: EntityOf = async (c) => {
  try {
    const body = (await c.req.json()) as { entityRef?: unknown };
    return typeof body?.entityRef === "string" ? stringifyEntityRef(parseEntityRef(body.entityRef)) : null;
  } catch {
    return null; // the route reports a malformed body to those allowed to send one
  }
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Every caller allowed to read sees the whole catalog today; a policy that filters reads gives each slice its own class. */
const VISIBILITY_ALL = "catalog:all";

function denied(principal: Principal, what: string, reason: string): ApiError {
  if (principal.type === "anonymous") {
    return new ApiError("AuthenticationError", principal.problem ?? `Sign in or send a token to ${what}`);
  }
  return new ApiError("NotAllowedError", `Not allowed to ${what}: ${reason}`);
}

function reasonFor(principal: Principal, permission: Permission): string {
  if (principal.type === "service") return `the token's scopes do not include ${permission}`;
  return `${permission} is not granted to ${actorOf(principal)}`;
}

async function ownsEntity(db: D1Database, principal: Principal, ref: string | null): Promise<boolean> {
  if (!ref || principal.type !== "user") return false;
  const owners = await ownersOf(db, ref);
  return owners.some((o) => principal.ownershipRefs.includes(o));
}

export function authorize(permission: Permission, entityOf?: EntityOf) {
  return createMiddleware<AppEnv>(async (c, next) => {
    const principal = await principalOf(c);
    const write = !SAFE_METHODS.has(c.req.method) && !isReadPermission(permission);
    let decision = decide(identityConfig(c.env).policy, principal, permission);
    if (decision === "owner") {
      const ref = entityOf ? await entityOf(c) : null;
      if (!(await ownsEntity(c.env.DB, principal, ref))) {
        throw denied(principal, permission, ref ? `only owners of ${ref} and admins may` : `${permission} needs an entity the caller owns`);
      }
      decision = "allow";
    }
    if (decision !== "allow") {
      if (write && principal.type !== "anonymous") audit(c, principal, { action: permission, status: 403, detail: { denied: true } });
      throw denied(principal, permission, reasonFor(principal, permission));
    }
    c.set("visibility", VISIBILITY_ALL);
    if (!write) return next();
    // The bootstrap ADMIN_TOKEN carries bulk loads (catalog:load, imports, the bench) and is not limited.
    if (principal.type !== "admin-token") await enforceLimit(c, "WRITE_LIMITER", actorOf(principal), "writes");
    await next();
    audit(c, principal, { action: permission, status: c.res.status, target: c.get("auditTarget") ?? null });
  });
}

/** For routes that declare no permission for an action (a plugin's writes): nobody may, signed in or not. */
export function refuse(what: string, reason: string) {
  return createMiddleware<AppEnv>(async (c) => {
    throw denied(await principalOf(c), what, reason);
  });
}

/** Inside a route: whether the caller holds `permission` outright (ownership-only grants count as no). */
export function can(c: Context<AppEnv>, permission: Permission): boolean {
  return decide(identityConfig(c.env).policy, c.get("principal") ?? ANONYMOUS, permission) === "allow";
}

