/** Types for oauth.mjs (the fake GitHub's OAuth app). */
export interface FakeOAuthUser {
  id: number;
  login: string;
  name: string | null;
  email: string | null;
  avatar_url: string;
}
export interface FakeOAuth {
  client: { id: string; secret: string };
  users: Map<string, FakeOAuthUser>;
  codes: Map<string, { login: string; redirectUri: string | null; challenge: string | null; method: string | null; expiresAt: number; used: boolean }>;
  tokens: Map<string, { login: string; revoked: boolean }>;
  exchanges: { method: string; path: string; status: number; error?: string }[];
  addUser(u: { login: string; name?: string | null; email?: string | null }): FakeOAuthUser;
  signIn(u: { login: string; name?: string | null; email?: string | null }): void;
  setDeny(value: boolean): void;
  revoke(login: string): void;
  handle(req: Request, url: URL, path: string): Promise<Response | null>;
  control(method: string, path: string, body: any): unknown;
}
export function createFakeOAuth(options?: { now?: () => number; clientId?: string; clientSecret?: string }): FakeOAuth;
