/**
 * What the signed-in caller may do in the portal, read from the session's permissions summary (the worker
 * decides; this only hides what would be refused, and explains why when someone follows a link anyway).
 */
import type { Session } from "../api/session";

export interface AdminSection {
  id: string;
  label: string;
  icon: string;
  /** The permission the section's actions need; without it the section is hidden. */
  permission: string;
  /** "You need the admin role to <what>." */
  what: string;
}

export const ADMIN_SECTIONS: readonly AdminSection[] = [
  { id: "locations", label: "Locations", icon: "link", permission: "catalog.location.create", what: "register and delete catalog locations" },
  { id: "imports", label: "Imports", icon: "layers", permission: "github.admin", what: "import repositories and organization data from GitHub" },
  { id: "dead-letters", label: "Dead letters", icon: "alert", permission: "jobs.admin", what: "inspect and replay failed jobs" },
  { id: "tokens", label: "Service tokens", icon: "code", permission: "identity.token.manage", what: "create and revoke service tokens" },
  { id: "audit", label: "Audit log", icon: "history", permission: "identity.audit.read", what: "read the audit log" },
];

export function can(session: Session | null | undefined, permission: string): boolean {
  return Boolean(session?.permissions.includes(permission));
}

/** The admin sections the caller may use, in display order. */
export function allowedSections(session: Session | null | undefined): AdminSection[] {
  return ADMIN_SECTIONS.filter((s) => can(session, s.permission));
}

export function findSection(id: string | undefined): AdminSection | undefined {
  return ADMIN_SECTIONS.find((s) => s.id === id);
}

/** Who the portal thinks the caller is, for an explanation: "maya.chen (member)". */
export function describeCaller(session: Session | null | undefined): string {
  if (!session) return "not signed in";
  const who = session.user?.login ?? session.user?.ref ?? (session.type === "service" ? "a service token" : "the admin token");
  return `${who} (${session.roles.length ? session.roles.join(", ") : "no role"})`;
}

/** The sentence a direct link to a section the caller may not use shows instead of an empty page. */
export function deniedMessage(section: AdminSection | undefined): string {
  return `You need the admin role to ${section ? section.what : "use the admin area"}.`;
}
