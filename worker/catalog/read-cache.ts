/**
 * A per-isolate cache of catalog read responses, validated on every request against version tags in D1. A
 * cached answer names what it depends on: the kinds of the entities it can hold (`kind:<kind>` rows of
 * catalog_tags, moved by triggers whenever an entity of that kind is added, removed or renders differently;
 * migration 0014), or, when that is not known, the whole catalog (catalog_version, moved inside every catalog
 * write batch: store/derived.ts). So a write to a Group leaves cached Component pages and facets valid, and any
 * write that could change an answer invalidates it. A hit costs (a share of) one read of those few rows
 * instead of the query and the transfer of every entity it returns. It is never stale: the tags are read
 * after the request arrived and before the data a miss then reads, so a response is stored under tags no newer
 * than its data. Entries only ever hold responses that anyone allowed to read the catalog may see (see
 * `cachedRead`). Every answer carries an ETag made of its key and tag versions; a matching If-None-Match is
 * answered 304 without running the route.
 */
import { createMiddleware } from "hono/factory";
import type { Context } from "hono";
import type { AppEnv } from "../env";
import { sessionBookmark } from "../db/session";
import { ChangeFeedView, FEED_DELTA_SQL, FEED_TAG, type FeedDependency, type FeedRow } from "./change-feed";
import { KIND_DEFINITIONS } from "./kinds";

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
  /** The versions of the tags the answer depends on, when it was read (see `stampOf`). */
  version: number | string;
  /** The tags (null: the whole catalog). */
  tags?: readonly string[] | null;
  /** Headers besides content-type the route set and a hit must repeat (Link). */
  headers?: [string, string][];
  /** Encoded once: re-encoding a large string on every hit cost as much as the D1 read it saves. */
  body: Uint8Array;
  /** The body gzipped, made on the entry's first hit (see `withGzip`) and served to clients that accept it. */
  gzip?: Uint8Array;
  /** hash64 of the key, kept so a hit's ETag need not hash the key (a by-refs key holds its whole body). */
  keyHash?: string;
  contentType: string;
  /**
   * What the answer was rendered from, when the route can name it (`sameAnswerAs`): the ids and revs of its
   * entities, its total and cursors. An answer whose tags moved but whose fingerprint did not is served again.
   */
  fingerprint?: string;
  /**
   * What the answer is made of, when the route names it (`dependsOnFeed`), and the entity feed's seq it was read
   * at: an answer whose tags moved but which no change in the feed since touched is served again.
   */
  feedDependency?: FeedDependency;
  feedSeq?: number;
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

  /** The key hash the entry under `key` was stored with, without touching recency. */
  peekKeyHash(key: string): string | undefined {
    return this.#entries.get(key)?.keyHash;
  }

  /** The tags of the entry under `key` (null: the whole catalog), without touching recency. */
  peekTags(key: string): readonly string[] | null {
    return this.#entries.get(key)?.tags ?? null;
  }

  /**
   * Keeps `gzip` beside the body of `entry` if that entry is still the one under `key` (a write or an
   * eviction may have replaced it while the body was compressed) and its bytes fit.
   */
  attachGzip(key: string, entry: CachedResponse, gzip: Uint8Array): void {
    const current = this.#entries.get(key);
    if (current === undefined || current.body !== entry.body || current.gzip) return;
    if (this.#bytes + gzip.byteLength > this.#limits.maxBytes) return;
    current.gzip = gzip;
    current.bytes += gzip.byteLength;
    this.#bytes += gzip.byteLength;
  }

  /** Marks `entry` current at `version` (and feed seq) if it is still the one under `key` (see `sameAnswerAs`). */
  restamp(key: string, entry: CachedResponse, version: number | string, feedSeq?: number): void {
    const current = this.#entries.get(key);
    if (current !== entry) return;
    current.version = version;
    if (current.feedDependency !== undefined) current.feedSeq = feedSeq;
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
  admit(key: string, version: number | string, bodyBytes: number, outdated?: (entry: CachedResponse) => boolean): boolean {
    if (key.length > MAX_KEY_CHARS || bodyBytes > this.#limits.maxEntryBytes) return false;
    const cost = costOf(key, bodyBytes, "");
    if (cost > this.#limits.maxBytes) return false;
    if (this.#fits(cost)) return true;
    // Entries that can never be served again (their tags have moved on, or whatever `outdated` says) go first.
    const stale = outdated ?? ((entry: CachedResponse) => typeof version === "number" && typeof entry.version === "number" && entry.version < version);
    for (const [k, entry] of this.#entries) if (stale(entry)) this.delete(k);
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

/**
 * Tag versions at one moment: `catalog` (catalog_version) and every `kind:<kind>` of catalog_tags, with the D1
 * bookmark the read was made at (db/session.ts; null outside a session).
 */
export interface Snapshot extends ReadonlyMap<string, number> {
  readonly bookmark?: string | null;
}

/** The whole catalog's tag: what an answer depends on when its kinds are not known. */
const CATALOG_TAG = "catalog";
// catalog_tags holds a row per built-in kind (migration 0023): nine rows at most, read whole so one read serves every request. The
// entity feed's newest seq rides along as one more tag (no answer depends on it: it dates what was read).
const TAGS_SQL =
  `SELECT '${CATALOG_TAG}' AS tag, version FROM catalog_version WHERE id = 1 UNION ALL SELECT tag, version FROM catalog_tags ` +
  `UNION ALL SELECT '${FEED_TAG}', coalesce(max(seq), 0) FROM entity_feed`;

/** What this isolate knows of the entity feed, advanced by the shared tag reads (`issue`). */
const feed = new ChangeFeedView();

function snapshotOf(rows: unknown[]): Snapshot {
  return new Map((rows as { tag: string; version: number }[]).map((r) => [r.tag, r.version]));
}

/** The entity feed's newest seq as of `snapshot` (0 for an empty feed). */
const feedSeqOf = (snapshot: Snapshot) => snapshot.get(FEED_TAG) ?? 0;

async function readCatalogVersion(db: D1Database): Promise<Snapshot> {
  const { results } = await db.prepare(TAGS_SQL).all<{ tag: string; version: number }>();
  return Object.assign(snapshotOf(results), { bookmark: sessionBookmark(db) });
}

/** The shared tag read: the tags and, in the same batch (one state), the feed rows this isolate has not seen. */
async function readCatalogVersionAndFeed(db: D1Database): Promise<Snapshot> {
  const from = feed.cursor;
  const [tags, delta] = await db.batch([db.prepare(TAGS_SQL), db.prepare(FEED_DELTA_SQL).bind(from ?? Number.MAX_SAFE_INTEGER)]);
  const snapshot = Object.assign(snapshotOf(tags.results), { bookmark: sessionBookmark(db) });
  feed.apply(from, delta.results as unknown as FeedRow[], feedSeqOf(snapshot));
  return snapshot;
}

/**
 * Whether a shared tag read can serve a caller who brought `bookmark`: with read replicas, a read made in
 * another request's session may come from a replica older than what this caller has already seen or written.
 * Bookmarks sort oldest to newest (D1's documented order); a read whose bookmark is unknown is not trusted.
 */
function newEnoughFor(snapshot: Snapshot, bookmark: string | undefined): boolean {
  if (bookmark === undefined) return true;
  return typeof snapshot.bookmark === "string" && snapshot.bookmark >= bookmark;
}

/**
 * Kinds with a tag of their own: the built-in ones, the only kinds migration 0023's triggers keep tags for, so the
 * table read whole on every shared tag read stays a few rows whatever kinds pushed files declare.
 */
const TAGGED_KINDS: ReadonlySet<string> = new Set(KIND_DEFINITIONS.map((k) => k.kind.toLowerCase()));

/**
 * The tags of an answer holding only entities of `kinds`; null (the whole catalog) when they are not known or one
 * is not a built-in kind.
 */
export function kindTags(kinds: readonly string[] | null): string[] | null {
  const lower = kinds?.map((k) => k.toLowerCase());
  if (!lower || lower.some((k) => !TAGGED_KINDS.has(k))) return null;
  return [...new Set(lower.map((k) => `kind:${k}`))].sort();
}

/** The versions of `tags` in `snapshot`, as one comparable string; a tag no write has moved yet counts as 0. */
export function stampOf(snapshot: Snapshot, tags: readonly string[] | null | undefined): string {
  return (tags ?? [CATALOG_TAG]).map((t) => snapshot.get(t) ?? 0).join(".");
}

type WaitUntil = (promise: Promise<unknown>) => void;

// The version read in flight (if any) and the one queued behind it, shared by every request of the isolate.
let inFlight: Promise<Snapshot> | undefined;
let queued: Promise<Snapshot> | undefined;
/** When the shared reads were issued: one that takes longer than STUCK_MS is no longer waited for. */
let inFlightAt = 0;
let queuedAt = 0;
/**
 * A shared read normally answers in about a millisecond. One whose issuing request was torn down anyway
 * (a crash, an evicted context) would never settle and must not hold every later request of the isolate.
 */
const STUCK_MS = 2_000;

function issue(db: D1Database, waitUntil: WaitUntil | undefined): Promise<Snapshot> {
  const p: Promise<Snapshot> = readCatalogVersionAndFeed(db).finally(() => {
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
function withinStuckLimit(shared: Promise<Snapshot>, db: D1Database): Promise<Snapshot> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const own = new Promise<Snapshot>((resolve, reject) => {
    timer = setTimeout(() => readCatalogVersion(db).then(resolve, reject), STUCK_MS);
  });
  return Promise.race([shared, own]).finally(() => timer !== undefined && clearTimeout(timer));
}

/**
 * The tag versions as read by a query issued after this call. A read already in flight started before
 * the caller arrived and may have missed a write that finished since, so the caller waits for the next one,
 * which every request arriving meanwhile shares: under load the isolate sends one version read at a time
 * instead of one per request, and each request still sees every write that finished before it arrived.
 * (workerd resumes each awaiting request in its own context: handle_cross_request_promise_resolution.)
 */
export function versionReadAfterNow(db: D1Database, waitUntil?: WaitUntil): Promise<Snapshot> {
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
function probing(db: D1Database): { db: D1Database; version: () => Snapshot | undefined } {
  let version: Snapshot | undefined;
  let probed = false;
  const real = new WeakMap<object, D1PreparedStatement>();
  const withVersion = async (statements: D1PreparedStatement[]) => {
    probed = true;
    const [v, ...rest] = await db.batch([db.prepare(TAGS_SQL), ...statements]);
    version = snapshotOf(v.results);
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
  return c.get("readDb") ?? c.get("sessionDb") ?? c.env.DB;
}

/**
 * Whether the read caches are on (CATALOG_READ_CACHE = "off" turns the response and entity caches off). Off
 * over a shard set (CATALOG_SHARDS, store/shards.ts): their versions live in every shard, and validating an
 * answer against all of them is not built yet.
 */
export function cachesOn(env: Env): boolean {
  const e = env as { CATALOG_READ_CACHE?: string; CATALOG_SHARDS?: string };
  return e.CATALOG_READ_CACHE !== "off" && !e.CATALOG_SHARDS;
}

/** Hits and misses of this isolate's cache, per route kind (tests and the bench read them through headers). */
export const cacheStats = { hits: 0, misses: 0, notModified: 0, revalidated: 0, revalidatedByFeed: 0, sharedReadFailures: 0 };

/** FNV-1a over the string, twice with different offsets: a 64-bit tag for ETags (not a security boundary). */
function hash64(text: string): string {
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const ch = text.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x01000193) ^ (b >>> 13);
  }
  return (a >>> 0).toString(16).padStart(8, "0") + (b >>> 0).toString(16).padStart(8, "0");
}

/**
 * The ETag of the answer to the key hashed as `keyHash` (hash64 of the key) while its tags stand at `stamp`:
 * the same answer, the same ETag.
 */
const etagOf = (keyHash: string, stamp: string) => `"c${hash64(`${keyHash}\u0000${stamp}`)}"`;

/** Whether an If-None-Match header names `etag` (a list, weak validators, or `*`). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(",").some((t) => {
    const v = t.trim();
    return v === "*" || v === etag || v === `W/${etag}`;
  });
}

/**
 * Declares what the answer of the current request depends on: the kinds its entities can have (null or never
 * called: the whole catalog). Called by the route, since only it has the validated request; the cache keeps the
 * tags with the answer, so the next request with the same key is validated against them before the route runs.
 */
export function dependsOnKinds(c: Context<AppEnv>, kinds: readonly string[] | null): void {
  c.set("cacheTags", kindTags(kinds));
}

/**
 * Declares everything a write could change the answer through (see FeedDependency): the entities it shows
 * and the search keys that decide which it holds, their order and counts. A cached answer of such a route whose
 * tags moved is served again when no change in the entity feed since it was read touched any of that (migration
 * 0020, change-feed.ts), with no query at all. The declaration must be complete: nothing else a write can change
 * may reach the answer.
 */
export function dependsOnFeed(c: Context<AppEnv>, dependency: FeedDependency): void {
  c.set("answerFeedDependency", dependency);
}

/**
 * For a route whose answer is fully determined by `fingerprint` (the ids and revs of its entities, in order,
 * and whatever else it prints besides their JSON: an entity's JSON at one rev never changes, and ids are never
 * reused). True when the cached answer for this request, whose tags have moved since, was rendered from the
 * same fingerprint: the route then returns without rendering and the cache serves that answer again. So a
 * write to one component costs the cached pages and by-refs answers that do not hold it an index read, not
 * their rendering and the transfer of their full JSON. Otherwise the fingerprint is kept with the new answer.
 */
export function sameAnswerAs(c: Context<AppEnv>, fingerprint: string): boolean {
  c.set("answerFingerprint", fingerprint);
  return c.get("staleFingerprint") === fingerprint;
}

/**
 * Which entries a full cache may drop first, at `snapshot`: those whose tags moved on and that have no
 * fingerprint or feed dependency by which they could still be served again (those wait their LRU turn).
 */
export function neverServedAgain(snapshot: Snapshot): (entry: CachedResponse) => boolean {
  return (e) => e.version !== stampOf(snapshot, e.tags) && e.fingerprint === undefined && e.feedDependency === undefined;
}

/** The 304 for an If-None-Match naming `etag`, counted. */
function notModified(etag: string): Response {
  cacheStats.notModified++;
  return new Response(null, { status: 304, headers: { etag, "x-catalog-cache": "not-modified" } });
}

/** Smaller bodies are not worth compressing: headers outweigh what it saves. */
const MIN_GZIP_BYTES = 1024;

/** Whether an Accept-Encoding header accepts gzip (named, or `*`, without q=0). */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  for (const part of header.toLowerCase().split(",")) {
    const [coding, ...params] = part.split(";").map((p) => p.trim());
    if (coding !== "gzip" && coding !== "*") continue;
    const q = params.find((p) => p.startsWith("q="));
    if (q === undefined || Number(q.slice(2)) > 0) return true;
  }
  return false;
}

/**
 * Compresses an entry's body once it has been asked for twice (an answer nobody repeats never pays for it), so
 * later hits send a fraction of the bytes: a 50-entity page is about 65 KB of JSON and a tenth of that gzipped.
 */
async function withGzip(key: string, entry: CachedResponse): Promise<void> {
  try {
    const stream = new Blob([entry.body]).stream().pipeThrough(new CompressionStream("gzip"));
    cache.attachGzip(key, entry, new Uint8Array(await new Response(stream).arrayBuffer()));
  } catch {
    // Served uncompressed, as before.
  }
}

/** A stored answer as a response: gzipped when the client takes it and a gzip is kept (made on the second use). */
function served(c: Context<AppEnv>, key: string, entry: CachedResponse, etag: string, label: string, waitUntil: WaitUntil | undefined): Response {
  const headers = new Headers(entry.headers);
  headers.set("content-type", entry.contentType);
  headers.set("vary", "accept-encoding");
  headers.set("x-catalog-cache", label);
  const gzipOk = entry.body.byteLength >= MIN_GZIP_BYTES && acceptsGzip(c.req.header("accept-encoding"));
  if (gzipOk && entry.gzip) {
    // Another representation of the same answer: a weak validator, as Cloudflare's own compression makes.
    headers.set("etag", `W/${etag}`);
    headers.set("content-encoding", "gzip");
    return new Response(entry.gzip, { headers, encodeBody: "manual" });
  }
  if (gzipOk) waitUntil?.(withGzip(key, entry));
  headers.set("etag", etag);
  return new Response(entry.body, { headers });
}

/** Whether the n-th failure is logged: the 1st, 2nd, 4th, 8th, ... (under load every waiter sees one). */
export const loggedFailure = (n: number) => n > 0 && (n & (n - 1)) === 0;

function reportSharedReadFailure(err: unknown): void {
  if (!loggedFailure(cacheStats.sharedReadFailures)) return;
  console.warn(`read cache: the shared tag read failed (${cacheStats.sharedReadFailures} so far in this isolate); requests read their own: ${(err as Error)?.message ?? err}`);
}

export function cachedRead() {
  return createMiddleware<AppEnv>(async (c, next) => {
    if (!cachesOn(c.env)) return next();
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
    const ifNoneMatch = c.req.header("if-none-match");
    const base = c.get("sessionDb") ?? c.env.DB;
    let snapshot: Snapshot | undefined;
    if (cache.has(key)) {
      try {
        snapshot = await versionReadAfterNow(base, waitUntil);
      } catch (err) {
        // The shared read failed for everyone waiting on it. Under load workerd sometimes runs the queued read
        // in a context where the session that issued it refuses I/O ("Cannot perform I/O on behalf of a
        // different request"); this request's own read, issued here, does not meet that.
        cacheStats.sharedReadFailures++;
        reportSharedReadFailure(err);
      }
      try {
        // Read again in this request's own session, which starts at the caller's bookmark.
        if (snapshot === undefined || !newEnoughFor(snapshot, c.get("d1Bookmark"))) snapshot = await readCatalogVersion(base);
      } catch {
        return next(); // let the route answer (or fail) on its own
      }
      const tags = cache.peekTags(key);
      const stamp = stampOf(snapshot, tags);
      const keyHash = cache.peekKeyHash(key) ?? hash64(key);
      const etag = etagOf(keyHash, stamp);
      if (matches(ifNoneMatch, etag)) return notModified(etag);
      const entry = cache.get(key);
      if (entry?.version === stamp) {
        cacheStats.hits++;
        return served(c, key, entry, etag, "hit", waitUntil);
      }
      const feedSeq = feedSeqOf(snapshot);
      if (entry?.feedDependency !== undefined && entry.feedSeq !== undefined && feed.unchangedFor(entry.feedDependency, entry.feedSeq, feedSeq)) {
        // No change since it was read touched its entities or the keys that pick them: the same answer at `stamp`.
        cache.restamp(key, entry, stamp, feedSeq);
        cacheStats.revalidated++;
        cacheStats.revalidatedByFeed++;
        return served(c, key, entry, etag, "revalidated", waitUntil);
      }
      if (entry?.fingerprint !== undefined) c.set("staleFingerprint", entry.fingerprint);
      await next(); // its data is read after `snapshot` was, so it is at least that new
      if (entry?.fingerprint !== undefined && c.get("answerFingerprint") === entry.fingerprint) {
        // The route read what the answer is made of, after `snapshot`, and it has not changed (sameAnswerAs
        // told it so, and it did not render): the stored answer holds for `stamp` too, gzipped body and all.
        cache.restamp(key, entry, stamp, feedSeq);
        cacheStats.revalidated++;
        c.res = matches(ifNoneMatch, etag) ? notModified(etag) : served(c, key, entry, etag, "revalidated", waitUntil);
        return;
      }
      if (entry) cache.delete(key);
    } else {
      // Nothing to validate: answer as an uncached read would, learning the tags from the same batch.
      const probe = probing(base);
      c.set("readDb", probe.db);
      await next();
      snapshot = probe.version();
    }
    const text = c.get("jsonBody");
    if (snapshot === undefined) return;
    if (c.res.status !== 200 || text === undefined) return;
    cacheStats.misses++;
    const tags = c.get("cacheTags") ?? null;
    const stamp = stampOf(snapshot, tags);
    const keyHash = hash64(key);
    const etag = etagOf(keyHash, stamp);
    const contentType = c.res.headers.get("content-type") ?? "application/json";
    const link = c.res.headers.get("link");
    // UTF-8 is never shorter than the UTF-16 length: decide on the length before paying for the encoding.
    if (cache.admit(key, stamp, text.length, neverServedAgain(snapshot))) {
      const fingerprint = c.get("answerFingerprint");
      const feedDependency = c.get("answerFeedDependency");
      cache.set(key, {
        version: stamp,
        tags,
        keyHash,
        body: new TextEncoder().encode(text),
        contentType,
        ...(link ? { headers: [["link", link]] } : {}),
        ...(fingerprint !== undefined ? { fingerprint } : {}),
        ...(feedDependency !== undefined ? { feedDependency, feedSeq: feedSeqOf(snapshot) } : {}),
      });
    }
    // The route ran (nothing cached to compare with), but an unchanged answer need not travel again.
    if (matches(ifNoneMatch, etag)) {
      c.res = notModified(etag);
      return;
    }
    c.res.headers.set("x-catalog-cache", "miss");
    c.res.headers.set("vary", "accept-encoding");
    c.res.headers.set("etag", etag);
  });
}
