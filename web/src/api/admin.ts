/**
 * The admin area's reads and writes: locations (/api/catalog/locations), GitHub imports
 * (/api/github/imports), dead letters (/api/jobs/dead-letters), service tokens (/api/auth/tokens) and
 * the audit log (/api/auth/audit). Each throws the API's error (request.ts) for the page to show.
 */
import type { ImportProgress } from "../lib/import-progress";
import { withQuery } from "./params";
import { request } from "./request";

export interface Location {
  id: string;
  type: string;
  target: string;
  entityRef: string;
}

export async function listLocations(): Promise<Location[]> {
  const rows = await request<{ data: Location }[]>("/api/catalog/locations");
  return rows.map((r) => r.data);
}

export function registerLocation(target: string, type = "url"): Promise<{ location: Location; exists?: boolean }> {
  return request("/api/catalog/locations", { body: { type, target } });
}

export function deleteLocation(id: string): Promise<void> {
  return request<void>(`/api/catalog/locations/${encodeURIComponent(id)}`, { method: "DELETE" });
}

export async function listImports(limit = 20): Promise<ImportProgress[]> {
  return (await request<{ items: ImportProgress[] }>(withQuery("/api/github/imports", { limit }))).items;
}

export async function startImport(target: string, orgData: boolean): Promise<ImportProgress> {
  return (await request<{ import: ImportProgress }>("/api/github/imports", { body: orgData ? { target, orgData: true } : { target } })).import;
}

export interface DeadLetter {
  id: number;
  type: string;
  body: unknown;
  error: string;
  attempts: number;
  deliveryId: string | null;
  createdAt: string;
  replayedAt: string | null;
}

export async function listDeadLetters(pending: boolean): Promise<DeadLetter[]> {
  return (await request<{ items: DeadLetter[] }>(withQuery("/api/jobs/dead-letters", { pending: pending ? "true" : undefined, limit: 100 }))).items;
}

export async function replayDeadLetter(id: number): Promise<DeadLetter> {
  return (await request<{ deadLetter: DeadLetter }>(`/api/jobs/dead-letters/${id}/replay`, { method: "POST" })).deadLetter;
}

export interface ServiceToken {
  id: string;
  name: string;
  scopes: string[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

export async function listTokens(): Promise<ServiceToken[]> {
  return (await request<{ items: ServiceToken[] }>("/api/auth/tokens")).items;
}

/** The secret comes back once, in this answer only; the list never shows it again. */
export function createToken(t: { name: string; scopes: string[]; expiresInDays?: number }): Promise<{ token: string; serviceToken: ServiceToken }> {
  return request("/api/auth/tokens", { body: t });
}

export async function revokeToken(id: string): Promise<ServiceToken> {
  return (await request<{ serviceToken: ServiceToken }>(`/api/auth/tokens/${encodeURIComponent(id)}`, { method: "DELETE" })).serviceToken;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  method: string | null;
  path: string | null;
  status: number | null;
  target: string | null;
  detail: Record<string, unknown> | null;
  ip: string | null;
  userAgent: string | null;
}

export interface AuditQuery {
  actor?: string;
  action?: string;
  before?: number;
  limit?: number;
}

export function listAudit(q: AuditQuery): Promise<{ items: AuditEntry[]; pageInfo: { nextBefore?: number } }> {
  return request(withQuery("/api/auth/audit", { actor: q.actor, action: q.action, before: q.before, limit: q.limit ?? 50 }));
}
