/** The signed-in person, shared by the frame and any page that adapts to them (useSession). */
import { createContext, useContext, type Resource } from "solid-js";
import type { Session } from "../api/session";

export const SessionContext = createContext<Resource<Session | null>>();

export function useSession(): Resource<Session | null> | undefined {
  return useContext(SessionContext);
}

/** Up to two initials for an avatar without a picture: "Ada Lovelace" → "AL", "octocat" → "O". */
export function initials(name: string): string {
  const words = name.replace(/^[a-z]+:[^/]*\//i, "").split(/[\s._-]+/).filter(Boolean);
  return (words.length > 1 ? words[0][0] + words[words.length - 1][0] : (words[0]?.[0] ?? "?")).toUpperCase();
}

/** A safe place to come back to after signing in: a path on this portal, never the sign-in page itself. */
export function returnPath(pathname: string, search: string): string {
  return pathname === "/sign-in" || !pathname.startsWith("/") || pathname.startsWith("//") ? "/" : `${pathname}${search}`;
}
