/**
 * Who is calling, as a plugin may know it: the kind of caller, a ref or token name and ownership claims,
 * never a credential. `can()` asks the deployment's policy, so a plugin's own checks agree with the routes'.
 */
import type { PluginCaller } from "../../../contract/plugin-worker";
import { isPermission } from "../../identity/permissions";
import { decide, type Policy } from "../../identity/policy";
import type { Principal } from "../../identity/principal";

export function pluginCaller(policy: Policy, principal: Principal): PluginCaller {
  const can = (permission: string) => isPermission(permission) && decide(policy, principal, permission) === "allow";
  switch (principal.type) {
    case "user":
      return Object.freeze({ type: "user", ref: principal.ref, ownershipRefs: Object.freeze([...principal.ownershipRefs]), can });
    case "service":
      return Object.freeze({ type: "service", ref: principal.name, ownershipRefs: Object.freeze([]), can });
    case "admin-token":
      return Object.freeze({ type: "service", ref: "admin-token", ownershipRefs: Object.freeze([]), can });
    default:
      return Object.freeze({ type: "anonymous", ref: null, ownershipRefs: Object.freeze([]), can });
  }
}

/** The identity hooks and jobs run as: the plugin itself, which may read the catalog and nothing more. */
export function pluginServiceCaller(pluginId: string): PluginCaller {
  return Object.freeze({
    type: "service",
    ref: `plugin:${pluginId}`,
    ownershipRefs: Object.freeze([]),
    can: (permission: string) => permission === "catalog.entity.read",
  });
}
