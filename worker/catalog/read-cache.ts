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

/** Budget for everything the cache keeps (bodies, keys, bookkeeping), in bytes; the isolate has 128 MB in all. */
const MAX_CACHE_BYTES = 24 * 1024 * 1024;
/** Entries at most, whatever their size: each costs a Map slot and objects besides its bytes. */
const MAX_CACHE_ENTRIES = 4096;
/** Larger responses (whole-catalog lists) are not worth holding, nor copying to find out. */
const MAX_ENTRY_BYTES = 2 * 1024 * 1024;
/** Longer keys (a by-refs body with thousands of refs, a very long query string) are not cached. */
const MAX_KEY_CHARS = 64 * 1024;
/**
 * Once full, a new answer gets in only this often (evicting the least recently used): a walk over more
 * pages than fit would otherwise evict every entry before its next use and pay for storing each answer
 * while hitting none; this way most of the walk stays cached, and a query that keeps coming still gets in.
 */
const ADMIT_WHEN_FULL = 1 / 8;
/** Per entry besides its strings and body: the Map slot, the entry object and the byte array's header. */
const ENTRY_OVERHEAD_BYTES = 160;

export interface CachedResponse {
  version: number;
  /** Encoded once: re-encoding a large string on every hit cost as much as the D1 read it saves. */
  body: Uint8Array;
  contentType: string;
}

interface Entry extends CachedResponse {
  /** Everything this entry keeps alive, its key included. */
  bytes: number;
}

/** Strings are counted at two bytes per UTF-16 unit, what V8 may need for them. */
function costOf(key: string, body: number, contentType: string): number {
  return 2 * key.length + body + 2 * contentType.length + ENTRY_OVERHEAD_BYTES;
}

export interface CacheLimits {
  maxBytes: number;
  maxEntries: number;
  maxEntryBytes: number;
  /** Source of randomness for admission once full (tests pin it). */
  random?: () => number;
}

/**
 * The entries and their accounting: `bytes` counts every byte an entry keeps (key, body, content type and
 * a fixed overhead), and neither `bytes` nor `size` ever exceeds its limit. Insertion order is recency
 * order: a hit moves its entry to the end, eviction takes the first.
 */
export class ResponseCache {
  readonly #entries = new Map<string, Entry>();
  #bytes = 0;
  readonly #limits: Required<CacheLimits>;

  constructor(limits: CacheLimits) {
    this.#limits = { random: Math.random, ...limits };
  }

  get bytes(): number {
    return this.#bytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The entry, moved to the most recently used end. */
  get(key: string): CachedResponse | undefined {
    const entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    }
    return entry;
  }

  /** Peeks without touching recency. */
  has(key: string): boolean {
    return this.#entries.has(key);
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (!entry) return;
    this.#entries.delete(key);
    this.#bytes -= entry.bytes;
  }

  /**
   * Whether an answer of about `bodyBytes` under `key`, read at `version`, may be stored, making room for it
   * if so. Cheap: decided before the body is encoded.
   */
  admit(key: string, version: number, bodyBytes: number): boolean {
    if (key.length > MAX_KEY_CHARS || bodyBytes > this.#limits.maxEntryBytes) return false;
    const cost = costOf(key, bodyBytes, "");
    if (cost > this.#limits.maxBytes) return false;
    if (this.#fits(cost)) return true;
    // Entries of an older version can never be served again: they go first.
    for (const [k, entry] of this.#entries) if (entry.version < version) this.delete(k);
    if (this.#fits(cost)) return true;
    if (this.#limits.random() >= ADMIT_WHEN_FULL) return false;
    this.#evictFor(cost);
    return true;
  }

  /** Stores the entry, evicting the least recently used ones until it fits within both limits. */
  set(key: string, response: CachedResponse): void {
    const bytes = costOf(key, response.body.byteLength, response.contentType);
    this.delete(key);
    if (key.length > MAX_KEY_CHARS || response.body.byteLength > this.#limits.maxEntryBytes || bytes > this.#limits.maxBytes) return;
    this.#evictFor(bytes);
    this.#entries.set(key, { ...response, bytes });
    this.#bytes += bytes;
  }

  #fits(cost: number): boolean {
    return this.#bytes + cost <= this.#limits.maxBytes && this.#entries.size < this.#limits.maxEntries;
  }

  #evictFor(cost: number): void {
    for (const [oldest] of this.#entries) {
      if (this.#fits(cost)) break;
      this.delete(oldest);
    }
  }
}

const cache = new ResponseCache({ maxBytes: MAX_CACHE_BYTES, maxEntries: MAX_CACHE_ENTRIES, maxEntryBytes: MAX_ENTRY_BYTES });

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
    if (c.req.method === "POST") key += `\n${await c.req.text()}`;
    if (key.length > MAX_KEY_CHARS) return next();
    let waitUntil: WaitUntil | undefined;
    try {
      waitUntil = c.executionCtx.waitUntil.bind(c.executionCtx);
    } catch {
      // No execution context (a direct app.request() call): nothing outlives the request anyway.
    }
    let version: number | undefined;
    if (cache.has(key)) {
      try {
        version = await versionReadAfterNow(c.env.DB, waitUntil);
      } catch {
        return next(); // let the route answer (or fail) on its own
      }
      const entry = cache.get(key);
      if (entry?.version === version) {
        return new Response(entry.body, { headers: { "content-type": entry.contentType, "x-catalog-cache": "hit" } });
      }
      cache.delete(key);
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
    if (!cache.admit(key, version, text.length)) return;
    const body = new TextEncoder().encode(text);
    cache.set(key, { version, body, contentType: c.res.headers.get("content-type") ?? "application/json" });
  });
}
