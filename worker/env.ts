/** Hono's environment for every route: bindings come from `wrangler types` (worker-configuration.d.ts). */
import type { Principal } from "./identity/principal";
import type { WorkerPlugin } from "../contract/plugin-worker";
import type { FeedDependency } from "./catalog/change-feed";

export type AppEnv = {
  Bindings: Env;
  /** jsonBody: the JSON text a route answered with (jsonText), which the read cache keeps without re-reading the response. */
  /** readDb: the database view a cached read queries with (catalog/read-cache.ts). */
  /** principal: who is calling (identity/authenticate.ts); read it through the access seam (access.ts). */
  /**
   * visibility: which slice of the catalog the caller may see, set by authorize(); answers cached for one
   * visibility are never served to another (catalog/read-cache.ts keys on it).
   */
  /** sessionCookie: a refreshed session cookie the identify step sends with the answer. */
  /** auditTarget: what a write acted on (a token id, an entity ref), for its audit log row. */
  /** plugins: the installed plugins (createApp's list), for the webhook receiver and the global search. */
  /** cacheTags: the version tags a cached read's answer depends on (catalog/read-cache.ts; unset: the whole catalog). */
  Variables: {
    cacheTags?: string[] | null;
    /** The D1 bookmark the client sent (db/session.ts), if any. */
    d1Bookmark?: string;
    /** The request only reads, whatever its method (db/session.ts readOnlyRequest): no primary bookmark round trip. */
    d1ReadOnly?: boolean;
    /** The request's D1 session (db/session.ts), which catalog reads query through (readDb). */
    sessionDb?: D1Database;
    requestId: string;
    jsonBody?: string;
    readDb?: D1Database;
    /** The read cache's fingerprints (catalog/read-cache.ts sameAnswerAs): the stale cached answer's and the route's. */
    staleFingerprint?: string;
    answerFingerprint?: string;
    /** What a cached read's answer is made of, for the entity feed (read-cache.ts dependsOnFeed). */
    answerFeedDependency?: FeedDependency;
    principal?: Principal;
    visibility?: string;
    sessionCookie?: string;
    auditTarget?: string;
    plugins?: readonly WorkerPlugin[];
  };
};
