/**
 * The permission policy: which roles hold which permissions, who is an admin, and what owners may do to the
 * entities they own. A small typed default lives here; `PERMISSION_POLICY` (JSON) overrides any part of it.
 *
 *   role        who holds it                                         default permissions
 *   anonymous   no credential                                        none
 *   member      anyone signed in who has a User entity (org data or   read the catalog, locations, GitHub index; validate;
 *               YAML); with `members: "any"`, anyone signed in        run templates, read tasks, cancel their own
 *   owner       a member, on an entity their ownership claims own    refresh it
 *   admin       `admins` (user or group refs), ADMIN_TOKEN, dev guest every permission ("*")
 *   service     a service token                                      exactly its scopes
 */
import * as v from "valibot";
import { isPermission, type Permission } from "./permissions";
import type { Principal } from "./principal";

export type Role = "anonymous" | "member" | "owner" | "admin";
/** A role's grant: permission names, or "*" for all of them. */
type Grant = Permission | "*";

export interface Policy {
  roles: Record<Role, readonly Grant[]>;
  /** User or group refs (lower-cased) whose members are admins. */
  admins: readonly string[];
  /**
   * "any": everyone who signs in is a member. "catalog": only people with a User entity are; others are
   * signed in but hold no role (useful with github.com sign-in, where anyone has an account).
   */
  members: "any" | "catalog";
}

export const DEFAULT_POLICY: Policy = {
  roles: {
    anonymous: [],
    member: [
      "catalog.entity.read",
      "catalog.entity.validate",
      "catalog.location.read",
      "github.read",
      "scaffolder.action.list",
      "scaffolder.template.parameter.read",
      "scaffolder.task.create",
      "scaffolder.task.read",
      "scaffolder.task.cancel",
    ],
    owner: ["catalog.entity.refresh"],
    admin: ["*"],
  },
  admins: [],
  // With github.com sign-in anyone has an account: only people the catalog knows (their User entity, from org
  // data or YAML) are members unless the policy says "any".
  members: "catalog",
};

const GrantSchema = v.custom<Grant>((x) => x === "*" || isPermission(x), "must be a permission name or \"*\"");
const RefSchema = v.pipe(
  v.string(),
  v.regex(/^(user|group):[^/:\s]+\/[^/:\s]+$/i, "must be a full user or group ref, e.g. group:default/platform"),
  v.toLowerCase(),
);
const PolicySchema = v.strictObject({
  roles: v.optional(v.strictObject({
    anonymous: v.optional(v.array(GrantSchema)),
    member: v.optional(v.array(GrantSchema)),
    owner: v.optional(v.array(GrantSchema)),
    admin: v.optional(v.array(GrantSchema)),
  })),
  admins: v.optional(v.array(RefSchema)),
  members: v.optional(v.picklist(["any", "catalog"])),
});

/** Parses PERMISSION_POLICY over the default; throws an Error naming the first problem. */
export function parsePolicy(json: string | undefined): Policy {
  if (!json?.trim()) return DEFAULT_POLICY;
  let raw: unknown;
  try {
    raw = JSON.parse(json);
  } catch (err) {
    throw new Error(`PERMISSION_POLICY is not valid JSON: ${(err as Error).message}`);
  }
  const parsed = v.safeParse(PolicySchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const path = v.getDotPath(issue);
    throw new Error(`PERMISSION_POLICY${path ? `.${path}` : ""} ${issue.message}`);
  }
  const o = parsed.output;
  return {
    roles: { ...DEFAULT_POLICY.roles, ...Object.fromEntries(Object.entries(o.roles ?? {}).filter(([, g]) => g !== undefined)) },
    admins: o.admins ?? DEFAULT_POLICY.admins,
    members: o.members ?? DEFAULT_POLICY.members,
  };
}

/** The roles a principal holds outright ("owner" is per entity and never listed here). */
export function rolesOf(policy: Policy, p: Principal): Role[] {
  switch (p.type) {
    case "anonymous":
      return ["anonymous"];
    case "admin-token":
      return ["admin"];
    case "service":
      return [];
    case "user": {
      const roles: Role[] = [];
      if (policy.members === "any" || p.hasEntity) roles.push("member");
      if (p.source === "guest" || p.ownershipRefs.some((r) => policy.admins.includes(r)) || policy.admins.includes(p.ref)) roles.push("admin");
      return roles;
    }
  }
}

const grants = (list: readonly Grant[], permission: Permission) => list.includes("*") || list.includes(permission);

/** "allow", "deny", or "owner": allowed only on an entity whose owners are among the caller's ownership claims. */
export type Decision = "allow" | "deny" | "owner";

export function decide(policy: Policy, p: Principal, permission: Permission): Decision {
  if (p.type === "service") return p.scopes.includes(permission) ? "allow" : "deny";
  if (rolesOf(policy, p).some((role) => grants(policy.roles[role], permission))) return "allow";
  if (p.type === "user" && rolesOf(policy, p).includes("member") && grants(policy.roles.owner, permission)) return "owner";
  return "deny";
}

/** What the session endpoint reports: roles, and the permissions held outright or on owned entities. */
export function summarize(policy: Policy, p: Principal, known: readonly Permission[]) {
  return {
    roles: rolesOf(policy, p),
    permissions: known.filter((perm) => decide(policy, p, perm) === "allow"),
    ownerPermissions: known.filter((perm) => decide(policy, p, perm) === "owner"),
  };
}
