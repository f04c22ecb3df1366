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
import type { Context } from "hono";
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

/** Insertion order is recency order: a hit moves its entry to the end, eviction takes the first. */
const entries = new Map<string, Entry>();
let cachedBytes = 0;
/**
 * Once full, a new answer gets in only this often (evicting the least recently used): a walk over more
 * pages than fit would otherwise evict every entry before its next use and pay for storing each answer
 * while hitting none; this way most of the walk stays cached, and a query that keeps coming still gets in.
 */
const ADMIT_WHEN_FULL = 1 / 8;

function remove(key: string): void {
  const entry = entries.get(key);
  if (!entry) return;
  entries.delete(key);
  cachedBytes -= entry.bytes;
}

function touch(key: string, entry: Entry): void {
  entries.delete(key);
  entries.set(key, entry);
}

/** Whether an answer of `bytes` read at `version` may be stored, making room for it if so. */
function admit(version: number, bytes: number): boolean {
  if (bytes > MAX_ENTRY_BYTES) return false;
  if (cachedBytes + bytes <= MAX_CACHE_BYTES) return true;
  // Entries of an older version can never be served again: they go first.
  for (const [key, entry] of entries) if (entry.version < version) remove(key);
  if (cachedBytes + bytes <= MAX_CACHE_BYTES) return true;
  if (Math.random() >= ADMIT_WHEN_FULL) return false;
  for (const [oldest] of entries) {
    if (cachedBytes + bytes <= MAX_CACHE_BYTES) break;
    remove(oldest);
  }
  return true;
}

function store(key: string, entry: Entry): void {
  remove(key);
  entries.set(key, entry);
  cachedBytes += entry.bytes;
}

const VERSION_SQL = "SELECT version FROM catalog_version WHERE id = 1";

async function readCatalogVersion(db: D1Database): Promise<number> {
  const row = await db.prepare(VERSION_SQL).first<{ version: number }>();
  return row?.version ?? 0;
}

type WaitUntil = (promise: Promise<unknown>) => void;

// The version read in flight (if any) and the one queued behind it, shared by every request of the isolate.
let inFlight: Promise<number> | undefined;
let queued: Promise<number> | undefined;
/** When the shared reads were issued: one that takes longer than STUCK_MS is no longer waited for. */
let inFlightAt = 0;
let queuedAt = 0;
/**
 * A shared read normally answers in about a millisecond. One whose issuing request was torn down anyway
 * (a crash, an evicted context) would never settle and must not hold every later request of the isolate.
 */
const STUCK_MS = 2_000;

function issue(db: D1Database, waitUntil: WaitUntil | undefined): Promise<number> {
  const p: Promise<number> = readCatalogVersion(db).finally(() => {
    if (inFlight === p) inFlight = undefined;
  });
  // Other requests await this read: keep the issuing request's context alive until it settles, even if its
  // own client goes away, or their continuations would be cancelled with it.
  waitUntil?.(p.catch(() => {}));
  inFlight = p;
  inFlightAt = Date.now();
  return p;
}

/** The shared read, or this caller's own if the shared one is not back within STUCK_MS. */
function withinStuckLimit(shared: Promise<number>, db: D1Database): Promise<number> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const own = new Promise<number>((resolve, reject) => {
    timer = setTimeout(() => readCatalogVersion(db).then(resolve, reject), STUCK_MS);
  });
  return Promise.race([shared, own]).finally(() => timer !== undefined && clearTimeout(timer));
}

/**
 * The catalog version as read by a query issued after this call. A read already in flight started before
 * the caller arrived and may have missed a write that finished since, so the caller waits for the next one,
 * which every request arriving meanwhile shares: under load the isolate sends one version read at a time
 * instead of one per request, and each request still sees every write that finished before it arrived.
 * (workerd resumes each awaiting request in its own context: handle_cross_request_promise_resolution.)
 */
export function versionReadAfterNow(db: D1Database, waitUntil?: WaitUntil): Promise<number> {
  const now = Date.now();
  if (inFlight && now - inFlightAt > STUCK_MS) inFlight = undefined;
  if (queued && now - queuedAt > STUCK_MS) queued = undefined;
  if (!inFlight) return withinStuckLimit(issue(db, waitUntil), db);
  if (!queued) {
    const next = () => ((queued = undefined), issue(db, waitUntil));
    queued = inFlight.then(next, next);
    queuedAt = now;
  }
  return withinStuckLimit(queued, db);
}

/**
 * A view of `db` whose first query runs in one batch behind a version read, so a request whose answer is not
 * cached yet learns the version its data was read at without an extra round trip (a batch is one
 * transaction: the version and the data come from the same state). Any other first call (raw, run) leaves
 * the version unknown and the answer uncached, since a version read after data could be newer than it.
 */
function probing(db: D1Database): { db: D1Database; version: () => number | undefined } {
  let version: number | undefined;
  let probed = false;
  const real = new WeakMap<object, D1PreparedStatement>();
  const withVersion = async (statements: D1PreparedStatement[]) => {
    probed = true;
    const [v, ...rest] = await db.batch([db.prepare(VERSION_SQL), ...statements]);
    version = (v.results[0] as { version: number } | undefined)?.version ?? 0;
    return rest;
  };
  const wrap = (stmt: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(stmt, {
      get(target, prop) {
        if (prop === "bind") return (...values: unknown[]) => wrap(target.bind(...values));
        if (!probed && prop === "all") return async () => (await withVersion([target]))[0];
        if (!probed && prop === "first") {
          return async (column?: string) => {
            const row = ((await withVersion([target]))[0].results[0] ?? null) as Record<string, unknown> | null;
            return column === undefined ? row : (row?.[column] ?? null);
          };
        }
        probed = true;
        const value = Reflect.get(target, prop);
        return typeof value === "function" ? value.bind(target) : value;
      },
    });
    real.set(proxy, stmt);
    return proxy;
  };
  const view = new Proxy(db, {
    get(target, prop) {
      if (prop === "prepare") return (sql: string) => wrap(target.prepare(sql));
      if (prop === "batch") {
        return async (statements: D1PreparedStatement[]) => {
          const unwrapped = statements.map((s) => real.get(s) ?? s);
          return probed ? target.batch(unwrapped) : withVersion(unwrapped);
        };
      }
      probed = true;
      const value = Reflect.get(target, prop);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return { db: view, version: () => version };
}

/** The database a cached route reads with (the probing view while the cache learns the answer's version). */
export function readDb(c: Context<AppEnv>): D1Database {
  return c.get("readDb") ?? c.env.DB;
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
    let key = `${c.get("visibility") ?? "-"} ${c.req.method} ${url.pathname}${url.search}`;
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
    const entry = entries.get(key);
    let version: number | undefined;
    if (entry) {
      try {
        version = await versionReadAfterNow(c.env.DB, waitUntil);
      } catch {
        return next(); // let the route answer (or fail) on its own
      }
      if (entry.version === version) {
        touch(key, entry);
        return new Response(entry.body, { headers: { "content-type": entry.contentType, "x-catalog-cache": "hit" } });
      }
      remove(key);
      await next(); // its data is read after `version` was, so it is at least that new
    } else {
      // Nothing to validate: answer as an uncached read would, learning the version from the same batch.
      const probe = probing(c.env.DB);
      c.set("readDb", probe.db);
      await next();
      version = probe.version();
    }
    const text = c.get("jsonBody");
    if (version === undefined) return;
    if (c.res.status !== 200 || text === undefined) return;
    c.res.headers.set("x-catalog-cache", "miss");
    // UTF-8 is never shorter than the UTF-16 length: decide on the length before paying for the encoding.
    if (!admit(version, text.length)) return;
    const body = new TextEncoder().encode(text);
    if (body.byteLength > MAX_ENTRY_BYTES) return;
    store(key, { version, body, contentType: c.res.headers.get("content-type") ?? "application/json", bytes: body.byteLength });
  });
}
