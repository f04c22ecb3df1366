/**
 * A per-isolate cache of catalog read responses, validated on every request against the catalog version in
 * D1 (catalog_version, moved inside every write batch that changes entities, relations or processing
 * errors: store/derived.ts). A hit costs (a share of) one single-row read instead of the query and the
 * transfer of every entity it returns. It is never stale: the version is read after the request arrived and
 * before the data a miss then reads, so a response is stored under a version no newer than its data. Writes
 * from any isolate invalidate every entry at once; entries only ever hold responses that anyone allowed to
 * read the catalog may see (see `cachedRead`).
 */
import { createMiddleware } from "hono/factory";
import type { AppEnv } from "../env";

/** Budget for cached response bodies, in bytes (the isolate's limit is 128 MB in all). */
const MAX_CACHE_BYTES = 24 * 1024 * 1024;
/** Larger responses (whole-catalog lists) are not worth holding, nor copying to find out. */
const MAX_ENTRY_BYTES = 2 * 1024 * 1024;
/** Longer POST bodies (by-refs with thousands of refs) are not cached. */
const MAX_KEY_BODY_CHARS = 64 * 1024;

interface Entry {
  version: number;
  /** Encoded once: re-encoding a large string on every hit cost as much as the D1 read it saves. */
  body: Uint8Array;
  contentType: string;
  bytes: number;
}

/** Insertion order is recency order: a hit re-inserts its entry, eviction takes the first. */
const entries = new Map<string, Entry>();
let cachedBytes = 0;

function remove(key: string): void {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  cachedBytes -= entry.bytes;
}

function store(key: string, entry: Entry): void {
  remove(key);
  entries.set(key, entry);
  cachedBytes += entry.bytes;
  for (const [oldest] of entries) {
    if (cachedBytes <= MAX_CACHE_BYTES) break;
    remove(oldest);
  }
}

async function readCatalogVersion(db: D1Database): Promise<number> {
  const row = await db.prepare("SELECT version FROM catalog_version WHERE id = 1").first<{ version: number }>();
  return row?.version ?? 0;
}

type WaitUntil = (promise: Promise<unknown>) => void;

// The version read in flight (if any) and the one queued behind it, shared by every request of the isolate.
let inFlight: Promise<number> | undefined;
let queued: Promise<number> | undefined;

function issue(db: D1Database, waitUntil: WaitUntil | undefined): Promise<number> {
  const p: Promise<number> = readCatalogVersion(db).finally(() => {
    if (inFlight === p) inFlight = undefined;
  });
  // Other requests await this read: keep the issuing request's context alive until it settles, even if its
  // own client goes away, or their continuations would be cancelled with it.
  waitUntil?.(p.catch(() => {}));
  return p;
}

/**
 * The catalog version as read by a query issued after this call. A read already in flight started before
 * the caller arrived and may have missed a write that finished since, so the caller waits for the next one,
 * which every request arriving meanwhile shares: under load the isolate sends one version read at a time
 * instead of one per request, and each request still sees every write that finished before it arrived.
 * (workerd resumes each awaiting request in its own context: handle_cross_request_promise_resolution.)
 */
export function versionReadAfterNow(db: D1Database, waitUntil?: WaitUntil): Promise<number> {
  if (!inFlight) return (inFlight = issue(db, waitUntil));
  const next = () => ((queued = undefined), (inFlight = issue(db, waitUntil)));
  return (queued ??= inFlight.then(next, next));
}

/** What the cache holds now, for the health endpoint and tests. */
export function readCacheStats(): { entries: number; bytes: number } {
  return { entries: entries.size, bytes: cachedBytes };
}

/**
 * Caches successful JSON answers (rendered with jsonText) of the route it wraps, keyed by method, path, query
 * and (for POST) body.
 * Mount it after `authorize(...)`: today every reader sees the same catalog; when the permission policy
 * filters entities per user, the key must also carry the caller's visibility (the access seam sets it).
 * Disabled with CATALOG_READ_CACHE = "off".
 */
export function cachedRead() {
  return createMiddleware<AppEnv>(async (c, next) => {
    if ((c.env as { CATALOG_READ_CACHE?: string }).CATALOG_READ_CACHE === "off") return next();
    const url = new URL(c.req.url);
    let key = `${c.req.method} ${url.pathname}${url.search}`;
    if (c.req.method === "POST") {
      const body = await c.req.text();
      if (body.length > MAX_KEY_BODY_CHARS) return next();
      key += `\n${body}`;
    }
    let waitUntil: WaitUntil | undefined;
    try {
      waitUntil = c.executionCtx.waitUntil.bind(c.executionCtx);
    } catch {
      // No execution context (a direct app.request() call): nothing outlives the request anyway.
    }
    let version: number;
    try {
      version = await versionReadAfterNow(c.env.DB, waitUntil);
    } catch {
      return next(); // let the route answer (or fail) on its own
    }
    const entry = entries.get(key);
    if (entry && entry.version === version) {
      store(key, entry);
      return new Response(entry.body, { headers: { "content-type": entry.contentType, "x-catalog-cache": "hit" } });
    }
    if (entry) remove(key);
    await next();
    const text = c.get("jsonBody");
    if (c.res.status !== 200 || text === undefined) return;
    // UTF-8 is never shorter than the UTF-16 length, so longer text is passed over before encoding it.
    if (text.length <= MAX_ENTRY_BYTES) {
      const body = new TextEncoder().encode(text);
      if (body.byteLength <= MAX_ENTRY_BYTES) {
        store(key, { version, body, contentType: c.res.headers.get("content-type") ?? "application/json", bytes: body.byteLength });
      }
    }
    c.res.headers.set("x-catalog-cache", "miss");
  });
}
