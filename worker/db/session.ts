/**
 * D1 read replication through the Sessions API: each request runs its queries in a D1 session that starts at
 * the bookmark the client brought back (the `x-d1-bookmark` request header, else the `edgestage-d1-bookmark`
 * cookie), and the answer carries the session's latest bookmark in both, so a client's next request reads
 * from a replica at least as new as everything it has already seen or written (read-your-writes), while
 * requests without a bookmark may be served by the nearest replica ("first-unconstrained"). Catalog reads
 * query through the session (readDb in catalog/read-cache.ts); writes go to the primary as always. Locally
 * there is one copy, so nothing lags, but the same path runs.
 */
import { createMiddleware } from "hono/factory";
import type { Context } from "hono";
import type { AppEnv } from "../env";

export const BOOKMARK_HEADER = "x-d1-bookmark";
export const BOOKMARK_COOKIE = "edgestage-d1-bookmark";
/** D1 bookmarks are short strings of hex groups and dashes; anything else is ignored rather than sent to D1. */
const BOOKMARK = /^[A-Za-z0-9._:-]{1,256}$/;
/** How long a browser keeps its bookmark: replicas catch up within seconds, so an hour is ample. */
const COOKIE_MAX_AGE = 3600;
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

function cookieValue(header: string | undefined, name: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(";")) {
    const eq = part.indexOf("=");
    if (eq !== -1 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/** The bookmark the client sent, if it is one. */
export function requestBookmark(c: Context<AppEnv>): string | undefined {
  const sent = c.req.header(BOOKMARK_HEADER) ?? cookieValue(c.req.header("cookie"), BOOKMARK_COOKIE);
  return sent !== undefined && BOOKMARK.test(sent) ? sent : undefined;
}

/**
 * A D1Database whose queries run in `session`; the methods a session lacks (exec, dump, withSession) go to
 * the database itself (exec is only used by setup code, never inside a request's reads).
 */
function sessionDatabase(db: D1Database, session: D1DatabaseSession): D1Database & { getBookmark: () => string | null } {
  return {
    prepare: (sql: string) => session.prepare(sql),
    batch: <T>(statements: D1PreparedStatement[]) => session.batch<T>(statements),
    exec: (sql: string) => db.exec(sql),
    dump: () => db.dump(),
    withSession: (constraint?: string) => db.withSession(constraint),
    getBookmark: () => session.getBookmark(),
  } as D1Database & { getBookmark: () => string | null };
}

/** The bookmark of the request's session so far (null outside a session, or before any query). */
export function sessionBookmark(db: D1Database): string | null {
  const getBookmark = (db as { getBookmark?: () => string | null }).getBookmark;
  return typeof getBookmark === "function" ? getBookmark() : null;
}

/**
 * Marks the request a read whatever its method (POST /entities/by-refs carries its refs in a body): its answer
 * gets the session's bookmark, without the primary round trip a write needs afterwards (a second D1 query
 * that was most of such a read's latency). Set before the answer is produced, so read-cache hits count too.
 */
export function readOnlyRequest() {
  return createMiddleware<AppEnv>(async (c, next) => {
    c.set("d1ReadOnly", true);
    await next();
  });
}

const isRead = (c: Context<AppEnv>) => READS.has(c.req.method) || c.get("d1ReadOnly") === true;

export function d1Sessions() {
  return createMiddleware<AppEnv>(async (c, next) => {
    const db = c.env.DB;
    if (!db || typeof db.withSession !== "function") return next();
    const sent = requestBookmark(c);
    const session = db.withSession(sent ?? "first-unconstrained");
    c.set("d1Bookmark", sent);
    // Reads take it through readDb() (catalog/read-cache.ts). c.env stays the isolate's own object: per-env
    // caches (identity config) key on it, and a write goes to the primary whichever way it is sent.
    c.set("sessionDb", sessionDatabase(db, session));
    await next();
    let latest = session.getBookmark();
    if (!isRead(c)) {
      // The write went to the primary outside the session: a primary session begun after it has a bookmark
      // at least as new as the write, which is what the client must carry.
      const after = db.withSession("first-primary");
      await after.prepare("SELECT 1").first();
      latest = after.getBookmark() ?? latest;
    }
    if (!latest) return;
    // A response passed through from elsewhere (a plugin's fetch) may have immutable headers.
    try {
      c.res.headers.set(BOOKMARK_HEADER, latest);
    } catch {
      c.res = new Response(c.res.body, c.res);
      c.res.headers.set(BOOKMARK_HEADER, latest);
    }
    // The cookie moves after writes: what a browser must not lose is the state its own writes left. (Reads
    // pass the header back; a browser's later reads carry the cookie of its last write.)
    if (!isRead(c) && latest !== sent) {
      c.res.headers.append("set-cookie", `${BOOKMARK_COOKIE}=${latest}; Path=/; Max-Age=${COOKIE_MAX_AGE}; HttpOnly; Secure; SameSite=Lax`);
    }
  });
}
