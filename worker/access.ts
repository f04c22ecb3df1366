/**
 * The access seam: every route declares the permission it needs with `authorize(permission)`. Today reads
 * are open and writes need the admin token; GitHub sign-in and a policy (identity issue) plug in here
 * without touching the routes.
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "./env";
import { ApiError } from "./errors";

export type Permission =
  | "catalog.entity.read"
  | "catalog.entity.delete"
  | "catalog.entity.refresh"
  | "catalog.entity.validate"
  | "catalog.location.read"
  | "catalog.location.create"
  | "catalog.location.delete"
  | "github.read"
  | "github.admin"
  | "jobs.admin";

const READ_ONLY: ReadonlySet<Permission> = new Set(["catalog.entity.read", "catalog.location.read", "catalog.entity.validate", "github.read"]);

/** Constant-time comparison, so the token cannot be guessed byte by byte from timing. */
function sameToken(a: string, b: string): boolean {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

export function isAllowed(env: Env, permission: Permission, authorization: string | undefined): boolean {
  if (READ_ONLY.has(permission)) return true;
  const adminToken = env.ADMIN_TOKEN as string | undefined;
  if (!adminToken) return env.EDGESTAGE_ENV === "development";
  const token = authorization?.replace(/^Bearer\s+/i, "") ?? "";
  return sameToken(token, adminToken);
}

export function authorize(permission: Permission) {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!isAllowed(c.env, permission, c.req.header("authorization"))) {
      const configured = Boolean(c.env.ADMIN_TOKEN);
      throw configured
        ? new ApiError(c.req.header("authorization") ? "NotAllowedError" : "AuthenticationError", `Not allowed to ${permission}: a valid admin token is required`)
        : new ApiError("NotAllowedError", `Not allowed to ${permission}: no ADMIN_TOKEN is configured on this deployment`);
    }
    await next();
  });
}
