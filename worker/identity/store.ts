/**
 * Identity's SQL: who a signed-in person is in the catalog (their User entity and ownership claims, read
 * from the catalog's entities, search and relations tables), service tokens, and the audit log.
 */
import type { Permission } from "./permissions";

const GITHUB_LOGIN_KEY = "metadata.annotations.github.com/user-login";
const EMAIL_KEY = "spec.profile.email";
/** Deep or cyclic group trees stop here; the claims then miss the farthest parents (fail closed). */
const MAX_CLAIMS = 500;

export interface ResolvedUser {
  /** The User entity's ref, or `fallbackRef` when no entity matched. */
  ref: string;
  hasEntity: boolean;
  /** The user ref, every group it is a member of, and those groups' parents, transitively. */
  ownershipRefs: string[];
}

/**
 * Resolves a person to their User entity, the way Backstage's sign-in resolvers do: by annotation (GitHub
 * login) or profile email first, then by name in the default namespace; and expands their groups through
 * `memberOf` and then `childOf`. One statement.
 */
export async function resolveUser(db: D1Database, who: { login?: string; email?: string; fallbackRef: string }): Promise<ResolvedUser> {
  const [key, value] = who.login ? [GITHUB_LOGIN_KEY, who.login] : who.email ? [EMAIL_KEY, who.email] : [null, null];
  const { results } = await db
    .prepare(
      `WITH RECURSIVE me(ref) AS (
         SELECT ref FROM (
           SELECT e.ref AS ref, 0 AS rank FROM search s JOIN entities e ON e.id = s.entity_id
            WHERE ?1 IS NOT NULL AND s.key = ?1 AND s.value = lower(?2) AND e.ref LIKE 'user:%'
           UNION ALL
           SELECT e.ref, 1 FROM entities e WHERE e.ref = ?3
         ) ORDER BY rank, ref LIMIT 1
       ),
       -- CROSS JOIN keeps the one-row me outside; left to choose, SQLite scans every relation and probes me.
       -- Both halves of each stored pair (relation_pairs, migration 0015: origin --type--> other, other
       -- --reverse_type--> origin), read from the table: the relations view would be materialized per step.
       claims(ref) AS (
         SELECT p.other_ref FROM me CROSS JOIN relation_pairs p ON p.origin_ref = me.ref WHERE p.type = 'memberOf'
         UNION
         SELECT p.origin_ref FROM me CROSS JOIN relation_pairs p ON p.other_ref = me.ref WHERE p.reverse_type = 'memberOf'
         UNION
         SELECT p.other_ref FROM relation_pairs p JOIN claims c ON p.origin_ref = c.ref WHERE p.type = 'childOf'
         UNION
         SELECT p.origin_ref FROM relation_pairs p JOIN claims c ON p.other_ref = c.ref WHERE p.reverse_type = 'childOf'
       )
       SELECT 'user' AS what, ref FROM me
       UNION ALL
       SELECT * FROM (SELECT 'group', ref FROM claims LIMIT ${MAX_CLAIMS})`,
    )
    .bind(key, value, who.fallbackRef.toLowerCase())
    .all<{ what: string; ref: string }>();
  const user = results.find((r) => r.what === "user")?.ref;
  const ref = user ?? who.fallbackRef.toLowerCase();
  const groups = results.filter((r) => r.what !== "user").map((r) => r.ref);
  return { ref, hasEntity: user !== undefined, ownershipRefs: [ref, ...groups.filter((g) => g !== ref).sort()] };
}

/** The owners of an entity (its ownedBy relations), lower-cased refs. */
export async function ownersOf(db: D1Database, entityRef: string): Promise<string[]> {
  const { results } = await db
    .prepare("SELECT target_ref AS ref FROM relations WHERE source_ref = ? AND type = 'ownedBy'")
    .bind(entityRef.toLowerCase())
    .all<{ ref: string }>();
  return results.map((r) => r.ref);
}

export interface ServiceToken {
  id: string;
  name: string;
  scopes: Permission[];
  createdBy: string;
  createdAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
  lastUsedAt: string | null;
}

type TokenRow = Omit<ServiceToken, "scopes" | "createdAt" | "expiresAt" | "revokedAt" | "lastUsedAt"> & {
  scopes: string;
  createdAt: number;
  expiresAt: number | null;
  revokedAt: number | null;
  lastUsedAt: number | null;
};
const TOKEN_COLUMNS =
  "id, name, scopes, created_by AS createdBy, created_at AS createdAt, expires_at AS expiresAt, revoked_at AS revokedAt, last_used_at AS lastUsedAt";
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const toToken = (r: TokenRow): ServiceToken => ({
  ...r,
  scopes: JSON.parse(r.scopes) as Permission[],
  createdAt: iso(r.createdAt)!,
  expiresAt: iso(r.expiresAt),
  revokedAt: iso(r.revokedAt),
  lastUsedAt: iso(r.lastUsedAt),
});

export async function insertServiceToken(
  db: D1Database,
  t: { id: string; name: string; hash: string; scopes: Permission[]; createdBy: string; expiresAt: number | null },
): Promise<ServiceToken> {
  const row = await db
    .prepare(
      `INSERT INTO service_tokens (id, name, hash, scopes, created_by, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)
       RETURNING ${TOKEN_COLUMNS}`,
    )
    .bind(t.id, t.name, t.hash, JSON.stringify(t.scopes), t.createdBy, Date.now(), t.expiresAt)
    .first<TokenRow>();
  return toToken(row!);
}

/** A usable token by hash: not revoked and not expired. */
export async function findServiceToken(db: D1Database, hash: string, at: number): Promise<ServiceToken | null> {
  const row = await db
    .prepare(`SELECT ${TOKEN_COLUMNS} FROM service_tokens WHERE hash = ? AND revoked_at IS NULL AND (expires_at IS NULL OR expires_at > ?)`)
    .bind(hash, at)
    .first<TokenRow>();
  return row ? toToken(row) : null;
}

export async function listServiceTokens(db: D1Database): Promise<ServiceToken[]> {
  const { results } = await db.prepare(`SELECT ${TOKEN_COLUMNS} FROM service_tokens ORDER BY created_at DESC, id`).all<TokenRow>();
  return results.map(toToken);
}

/** Revokes a token; null when there is no such token, the token as it was when it was revoked already. */
export async function revokeServiceToken(db: D1Database, id: string, at: number): Promise<ServiceToken | null> {
  const row = await db
    .prepare(`UPDATE service_tokens SET revoked_at = coalesce(revoked_at, ?) WHERE id = ? RETURNING ${TOKEN_COLUMNS}`)
    .bind(at, id)
    .first<TokenRow>();
  return row ? toToken(row) : null;
}

/** Moves last_used_at forward unless it moved within `minIntervalMs`: at most one write a minute per token. */
export async function touchServiceToken(db: D1Database, id: string, at: number, minIntervalMs: number): Promise<void> {
  await db
    .prepare("UPDATE service_tokens SET last_used_at = ?1 WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at <= ?1 - ?3)")
    .bind(at, id, minIntervalMs)
    .run();
}

export interface AuditEvent {
  actor: string;
  action: string;
  method?: string | null;
  path?: string | null;
  status?: number | null;
  target?: string | null;
  detail?: Record<string, unknown> | null;
  ip?: string | null;
  userAgent?: string | null;
}

export interface AuditEntry extends Required<Omit<AuditEvent, "detail">> {
  id: number;
  at: string;
  detail: Record<string, unknown> | null;
}

export async function appendAudit(db: D1Database, e: AuditEvent, at = Date.now()): Promise<void> {
  await db
    .prepare("INSERT INTO audit_log (at, actor, action, method, path, status, target, detail, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
    .bind(
      at,
      e.actor,
      e.action,
      e.method ?? null,
      e.path?.slice(0, 2000) ?? null,
      e.status ?? null,
      e.target?.slice(0, 1000) ?? null,
      e.detail ? JSON.stringify(e.detail) : null,
      e.ip ?? null,
      e.userAgent?.slice(0, 500) ?? null,
    )
    .run();
}

export interface AuditQuery {
  actor?: string;
  /** An action name, or a prefix ending in "." or "*" (e.g. "auth." for every sign-in event). */
  action?: string;
  since?: number;
  until?: number;
  /** Entries older than this id (the previous page's last id). */
  before?: number;
  limit: number;
}

type AuditRow = Omit<AuditEntry, "at" | "detail"> & { at: number; detail: string | null };

export async function listAudit(db: D1Database, q: AuditQuery): Promise<AuditEntry[]> {
  const where: string[] = [];
  const params: unknown[] = [];
  if (q.actor) (where.push("actor = ?"), params.push(q.actor));
  if (q.action?.endsWith("*") || q.action?.endsWith(".")) {
    const prefix = q.action.replace(/\*$/, "");
    where.push("substr(action, 1, ?) = ?");
    params.push(prefix.length, prefix);
  } else if (q.action) (where.push("action = ?"), params.push(q.action));
  if (q.since !== undefined) (where.push("at >= ?"), params.push(q.since));
  if (q.until !== undefined) (where.push("at < ?"), params.push(q.until));
  if (q.before !== undefined) (where.push("id < ?"), params.push(q.before));
  const { results } = await db
    .prepare(
      `SELECT id, at, actor, action, method, path, status, target, detail, ip, user_agent AS userAgent FROM audit_log
       ${where.length ? `WHERE ${where.join(" AND ")}` : ""} ORDER BY id DESC LIMIT ?`,
    )
    .bind(...params, q.limit)
    .all<AuditRow>();
  return results.map((r) => ({ ...r, at: new Date(r.at).toISOString(), detail: r.detail ? (JSON.parse(r.detail) as Record<string, unknown>) : null }));
}
