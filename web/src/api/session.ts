/** Who is signed in (`GET /api/auth/session`), which sign-in providers exist, and signing out. */
import { takeEarlyResponse } from "./early";
import { isApiError, request } from "./request";

export interface Session {
  type: "user" | "service" | "admin-token";
  user: {
    ref: string;
    login: string | null;
    email: string | null;
    displayName: string | null;
    picture: string | null;
    hasEntity: boolean;
    source: "github" | "cloudflare-access" | "guest";
  } | null;
  ownershipRefs: string[];
  roles: string[];
  permissions: string[];
  ownerPermissions: string[];
  expiresAt: string | null;
}

export interface Providers {
  github: boolean;
  cloudflareAccess: boolean;
  guest: boolean;
}

const SESSION_PATH = "/api/auth/session";

/** The caller's session, or null when nobody is signed in (401). */
export async function fetchSession(): Promise<Session | null> {
  try {
    return await request<Session>(SESSION_PATH, { pending: takeEarlyResponse(SESSION_PATH) });
  } catch (err) {
    if (isApiError(err) && err.status === 401) return null;
    throw err;
  }
}

export function fetchProviders(): Promise<Providers> {
  return request<Providers>("/api/auth/providers");
}

export function signOut(): Promise<void> {
  return request<void>("/api/auth/sign-out", { method: "POST" });
}

/** Where the sign-in button sends the browser: the worker redirects on to GitHub and back to `returnTo`. */
export function githubSignInUrl(returnTo: string): string {
  return `/api/auth/github/start?returnTo=${encodeURIComponent(returnTo)}`;
}
