/**
 * Who is calling: the one value every access decision, audit row and cache key is derived from. A
 * principal is resolved once per request (authenticate.ts) and read with `c.get("principal")`.
 */
import type { Permission } from "./permissions";

/** How a signed-in person proved who they are. The guest exists only in local development. */
export type UserSource = "github" | "cloudflare-access" | "guest";

export interface UserPrincipal {
  type: "user";
  /** The person's User entity ref (lower-cased), or the ref they would have when no entity exists. */
  ref: string;
  /** Backstage's ownership claims: the user ref, every group it is a member of, and their parents. */
  ownershipRefs: string[];
  /** Whether a User entity matched at sign-in (or the last refresh). */
  hasEntity: boolean;
  source: UserSource;
  login?: string;
  email?: string;
  displayName?: string;
  picture?: string;
  /** Session expiry (ms since epoch), when the principal came from a session cookie. */
  expiresAt?: number;
}

export interface ServicePrincipal {
  type: "service";
  id: string;
  name: string;
  scopes: Permission[];
}

export type Principal =
  | { type: "anonymous"; problem?: string }
  | UserPrincipal
  | ServicePrincipal
  /** The bootstrap credential: `Authorization: Bearer <ADMIN_TOKEN>`. */
  | { type: "admin-token" };

export const ANONYMOUS: Principal = { type: "anonymous" };

/** The audit log's "who". */
export function actorOf(p: Principal): string {
  switch (p.type) {
    case "user":
      return p.ref;
    case "service":
      return `token:${p.id}`;
    case "admin-token":
      return "admin-token";
    default:
      return "anonymous";
  }
}

/**
 * Credentials the browser attaches by itself (a cookie, Cloudflare Access's header set from its cookie, or
 * the development guest that needs none): requests carrying them can be forged by another site (CSRF).
 */
export function isAmbient(p: Principal): boolean {
  return p.type === "user";
}
