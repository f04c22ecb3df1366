/**
 * The D1 schema, the one place column names are spelled. Migrations under migrations/ are generated
 * from it with `npm run db:generate`; the FTS5 table and its triggers live in a custom migration.
 *
 * Tables:
 * - entities: one row per visible entity, keyed by the lower-cased ref. `body` is the entity as
 *   written (with uid/etag and location annotations); `relation_list` is its relations (both halves,
 *   whoever emitted them), re-rendered by the write that changes them, and `relations_json` (virtual,
 *   migration 0018) the same as a JSON array, so a read splices two columns instead of aggregating the
 *   relations table per row.
 * - relation_pairs (migration 0015): one row per relation pair, keyed by the entity whose processing
 *   emitted it (`origin_ref`, always one end of the pair), so re-processing or deleting an entity removes
 *   exactly its rows. The `relations` view gives both halves (source_ref, type, target_ref, origin_ref).
 * - search_rows + search_keys (migration 0015): the flattened, lower-cased dotted-path index Backstage
 *   filters, orders and facets on; keys by id, original_value NULL where it equals the folded value;
 *   clustered by entity (WITHOUT ROWID, migration 0018). The `search` view gives (entity_id, key, value,
 *   original_value) as before.
 * - locations: registered locations (POST /locations, catalog:load roots).
 * - files: one row per descriptor file read (a "location key"), with the content hash and commit
 *   last indexed, so stale or repeated deliveries are skipped.
 * - processing_errors: why a file or one of its documents was rejected; replaced on each read. Rows with
 *   plugin_id are a plugin's problems with an entity, replaced only by that plugin.
 * - entity_changes: the change log (added / updated with a field diff / removed).
 * - facet_counts: per (scope, key, value) entity counts for the portal's facet keys, adjusted set-wise in
 *   each write batch (store/derived.ts), so unfiltered and kind-scoped facets, and the totals of
 *   `kind=x,key=y` queries, are one indexed read.
 * - entities_fts (migration 0001): FTS5 trigram index over name, title, description and tags.
 */
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const entities = sqliteTable(
  "entities",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    uid: text("uid").notNull(),
    etag: text("etag").notNull(),
    ref: text("ref").notNull(),
    kind: text("kind").notNull(),
    namespace: text("namespace").notNull(),
    name: text("name").notNull(),
    /** Read from the body (virtual generated columns, migration 0015) for the FTS index and the portal search. */
    title: text("title").generatedAlwaysAs(sql`CASE WHEN json_type(body, '$.metadata.title') = 'text' THEN json_extract(body, '$.metadata.title') END`, { mode: "virtual" }),
    description: text("description").generatedAlwaysAs(
      sql`CASE WHEN json_type(body, '$.metadata.description') = 'text' THEN json_extract(body, '$.metadata.description') END`,
      { mode: "virtual" },
    ),
    tags: text("tags"),
    body: text("body").notNull(),
    /** The relations, compactly (migration 0018): JSON-escaped type, tab, target ref; newline-separated. */
    relationList: text("relation_list").notNull().default(""),
    /** relation_list rendered as the relations JSON array (a virtual generated column, migration 0018). */
    relationsJson: text("relations_json").generatedAlwaysAs(
      sql`'[' || CASE WHEN relation_list = '' THEN '' ELSE '{"type":"' || replace(replace(relation_list, char(10), '"},{"type":"'), char(9), '","targetRef":"') || '"}' END || ']'`,
      { mode: "virtual" },
    ),
    /** Moves whenever the entity's rendered JSON changes (migration 0014's triggers); see catalog/entity-cache.ts. */
    rev: integer("rev").notNull().default(0),
    locationKey: text("location_key").notNull(),
    originKey: text("origin_key").notNull(),
    parentRef: text("parent_ref"),
    provenance: text("provenance"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [
    uniqueIndex("entities_ref_idx").on(t.ref),
    uniqueIndex("entities_uid_idx").on(t.uid),
    index("entities_location_key_idx").on(t.locationKey),
    index("entities_origin_key_idx").on(t.originKey),
  ],
);

export const relationPairs = sqliteTable(
  "relation_pairs",
  {
    originRef: text("origin_ref").notNull(),
    type: text("type").notNull(),
    otherRef: text("other_ref").notNull(),
    reverseType: text("reverse_type").notNull(),
  },
  // WITHOUT ROWID in migration 0015 (drizzle-kit cannot say so): the primary key is the origin index.
  (t) => [primaryKey({ columns: [t.originRef, t.type, t.otherRef, t.reverseType] }), index("relation_pairs_other_idx").on(t.otherRef, t.reverseType)],
);

export const searchKeys = sqliteTable("search_keys", { id: integer("id").primaryKey(), key: text("key").notNull() }, (t) => [
  uniqueIndex("search_keys_key_idx").on(t.key),
]);

export const searchRows = sqliteTable(
  "search_rows",
  {
    entityId: integer("entity_id").notNull(),
    keyId: integer("key_id").notNull(),
    /** Numbers an entity's rows of one key (array items), from 0 (migration 0018). */
    ord: integer("ord").notNull(),
    value: text("value"),
    /** NULL when equal to `value` (or when `value` is NULL). */
    originalValue: text("original_value"),
  },
  // WITHOUT ROWID in migration 0018 (drizzle-kit cannot say so): the primary key is the entity index.
  (t) => [primaryKey({ columns: [t.entityId, t.keyId, t.ord] }), index("search_rows_key_value_idx").on(t.keyId, t.value, t.entityId)],
);

export const locations = sqliteTable(
  "locations",
  {
    id: text("id").primaryKey(),
    type: text("type").notNull(),
    target: text("target").notNull(),
    key: text("key").notNull(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [uniqueIndex("locations_key_idx").on(t.key)],
);

export const files = sqliteTable(
  "files",
  {
    locationKey: text("location_key").primaryKey(),
    originKey: text("origin_key").notNull(),
    parentRef: text("parent_ref"),
    contentHash: text("content_hash"),
    commitSha: text("commit_sha"),
    commitTime: integer("commit_time"),
    indexedAt: integer("indexed_at").notNull(),
  },
  (t) => [index("files_origin_idx").on(t.originKey)],
);

export const processingErrors = sqliteTable(
  "processing_errors",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    locationKey: text("location_key").notNull(),
    originKey: text("origin_key").notNull(),
    entityRef: text("entity_ref"),
    docIndex: integer("doc_index"),
    field: text("field"),
    name: text("name").notNull(),
    message: text("message").notNull(),
    line: integer("line"),
    commitSha: text("commit_sha"),
    createdAt: integer("created_at").notNull(),
    /** The plugin that recorded it (migration 0016); null for the catalog's own errors. */
    pluginId: text("plugin_id"),
  },
  (t) => [
    index("processing_errors_location_idx").on(t.locationKey),
    index("processing_errors_entity_idx").on(t.entityRef),
  ],
);

export const entityChanges = sqliteTable(
  "entity_changes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    entityRef: text("entity_ref").notNull(),
    kind: text("kind").notNull(),
    owner: text("owner"),
    action: text("action", { enum: ["added", "updated", "removed"] }).notNull(),
    diff: text("diff"),
    locationKey: text("location_key").notNull(),
    commitSha: text("commit_sha"),
    actor: text("actor"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("entity_changes_ref_idx").on(t.entityRef, t.id),
    index("entity_changes_owner_idx").on(t.owner, t.id),
    index("entity_changes_created_idx").on(t.createdAt),
  ],
);

export const facetCounts = sqliteTable(
  "facet_counts",
  {
    /** '' for the whole catalog, or the lower-cased kind the count is limited to. */
    scope: text("scope").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
    /** The value as the search index folds it (JS lower-casing, which SQLite's ASCII lower() is not). */
    folded: text("folded").notNull().default(""),
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.value] }), index("facet_counts_folded_idx").on(t.scope, t.key, t.folded)],
);

/*
 * GitHub ingestion (issue 3).
 * - github_repos: one row per GitHub repository the catalog indexes, keyed by GitHub's numeric id (stable
 *   across renames and transfers). `head_sha` is the default-branch commit last indexed completely: the
 *   ordering rule compares every push against it. `origin_key` is the repo's registered location.
 *   `lease_*` serialize work on one repo across concurrent queue consumers.
 * - github_deliveries: one row per X-GitHub-Delivery, so a redelivery is processed once, and a redelivery
 *   after a failure runs again.
 * - github_file_reads: repo files a catalog file read through $text/$json/$yaml placeholders, with the blob
 *   id read, so a push that changes only an API's openapi.yaml re-reads the catalog file that embeds it
 *   (Backstage's refresh keys).
 * - github_imports: progress of a backfill (`npm run import`, POST /api/github/imports).
 * - job_dead_letters: queue messages that kept failing, kept for admins to inspect and replay.
 */
export const githubRepos = sqliteTable(
  "github_repos",
  {
    id: integer("id").primaryKey(),
    owner: text("owner").notNull(),
    name: text("name").notNull(),
    defaultBranch: text("default_branch").notNull(),
    installationId: integer("installation_id"),
    originKey: text("origin_key").notNull(),
    headSha: text("head_sha"),
    headTime: integer("head_time"),
    status: text("status", { enum: ["active", "archived", "removed"] }).notNull(),
    lastError: text("last_error"),
    indexedAt: integer("indexed_at"),
    leaseOwner: text("lease_owner"),
    leaseUntil: integer("lease_until"),
    createdAt: integer("created_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("github_repos_full_name_idx").on(t.owner, t.name), index("github_repos_installation_idx").on(t.installationId)],
);

export const githubDeliveries = sqliteTable(
  "github_deliveries",
  {
    id: text("id").primaryKey(),
    event: text("event").notNull(),
    action: text("action"),
    repo: text("repo"),
    status: text("status", { enum: ["queued", "done", "ignored", "failed", "dead"] }).notNull(),
    detail: text("detail"),
    attempts: integer("attempts").notNull(),
    receivedAt: integer("received_at").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [index("github_deliveries_received_idx").on(t.receivedAt)],
);

export const githubFileReads = sqliteTable(
  "github_file_reads",
  {
    originKey: text("origin_key").notNull(),
    locationKey: text("location_key").notNull(),
    path: text("path").notNull(),
    sha: text("sha"),
  },
  (t) => [primaryKey({ columns: [t.locationKey, t.path] }), index("github_file_reads_origin_idx").on(t.originKey)],
);

export const githubImports = sqliteTable("github_imports", {
  id: text("id").primaryKey(),
  target: text("target").notNull(),
  status: text("status", { enum: ["running", "done", "failed"] }).notNull(),
  listed: integer("listed").notNull(),
  reposTotal: integer("repos_total").notNull(),
  reposDone: integer("repos_done").notNull(),
  filesTotal: integer("files_total").notNull(),
  filesDone: integer("files_done").notNull(),
  entities: integer("entities").notNull(),
  errors: integer("errors").notNull(),
  message: text("message"),
  startedAt: integer("started_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
  finishedAt: integer("finished_at"),
});

export const jobDeadLetters = sqliteTable(
  "job_dead_letters",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    type: text("type").notNull(),
    body: text("body").notNull(),
    error: text("error").notNull(),
    attempts: integer("attempts").notNull(),
    deliveryId: text("delivery_id"),
    createdAt: integer("created_at").notNull(),
    replayedAt: integer("replayed_at"),
  },
  (t) => [index("job_dead_letters_created_idx").on(t.createdAt)],
);

/**
 * Plugin storage (worker/plugins/store.ts): rows of a plugin's named tables, every query scoped to one plugin
 * id; `bytes` (key + value, UTF-8) counts against the plugin's quota. plugin_usage holds each plugin's row and
 * byte totals, kept by triggers on plugin_rows (migration 0011), so a quota check is one indexed read.
 */
export const pluginRows = sqliteTable(
  "plugin_rows",
  {
    pluginId: text("plugin_id").notNull(),
    tbl: text("tbl").notNull(),
    key: text("key").notNull(),
    value: text("value").notNull(),
    bytes: integer("bytes").notNull(),
    updatedAt: integer("updated_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.pluginId, t.tbl, t.key] })],
);

export const pluginUsage = sqliteTable("plugin_usage", {
  pluginId: text("plugin_id").primaryKey(),
  rowCount: integer("row_count").notNull().default(0),
  byteCount: integer("byte_count").notNull().default(0),
});

/**
 * One row (inserted by migration 0008): a counter that every write batch changing what catalog reads
 * return moves forward (store/derived.ts). Cached read responses are served only while it has not moved
 * (worker/catalog/read-cache.ts).
 */
export const catalogVersion = sqliteTable("catalog_version", {
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
});

/**
 * catalog_tags: a version per kind (`kind:<lower kind>`), moved by triggers (migration 0014) whenever an
 * entity of that kind is added, removed or renders differently; read-cache.ts validates kind-scoped answers
 * against these instead of catalog_version, so a write invalidates only the answers of the kinds it touched.
 */
export const catalogTags = sqliteTable("catalog_tags", {
  tag: text("tag").primaryKey(),
  version: integer("version").notNull(),
});

/**
 * entity_feed (migration 0020): every entity added, removed or re-rendered, by seq, with the search keys the
 * change touched (a JSON array; NULL: unknown, so every key), written by triggers on entities and
 * processing_errors and pruned to the newest 8,192 rows by a trigger. read-cache.ts reads it after the last seq
 * it saw, with the tags, to serve cached answers none of whose entities and keys changed (catalog/change-feed.ts).
 * entity_feed_keys: the keys a write batch is about to change, per ref, for the triggers (store/apply-file.ts).
 */
export const entityFeed = sqliteTable("entity_feed", {
  seq: integer("seq").primaryKey({ autoIncrement: true }),
  entityId: integer("entity_id").notNull(),
  ref: text("ref").notNull(),
  keys: text("keys"),
});

export const entityFeedKeys = sqliteTable("entity_feed_keys", {
  ref: text("ref").primaryKey(),
  keys: text("keys").notNull(),
});

/**
 * search_rows_staging (migration 0022): a write batch's search rows when they take more than one statement, moved
 * to search_rows in one ordered pass at the end of the batch (store/apply-file.ts). Empty outside a batch.
 */
/**
 * relation_refresh (migration 0024): the other ends of the pairs a write batch is about to delete, re-rendered at the
 * batch's end (store/derived.ts). Empty outside a batch.
 */
export const relationRefresh = sqliteTable("relation_refresh", { ref: text("ref").primaryKey() });

export const searchRowsStaging = sqliteTable("search_rows_staging", {
  entityId: integer("entity_id").notNull(),
  keyId: integer("key_id").notNull(),
  ord: integer("ord").notNull(),
  value: text("value"),
  originalValue: text("original_value"),
});

/*
 * GitHub organization data (issue 9): an imported org's teams and people as GitHub last answered; the
 * org's Group and User entities are rendered from these rows (worker/identity/org/).
 * - github_orgs: imported orgs, keyed by GitHub's numeric id (stable across renames). `lease_*` serialize
 *   work on one org across concurrent queue consumers.
 * - github_org_teams: the org's teams with their parent team's id.
 * - github_org_members: the org's members with their public profile.
 * - github_org_team_members: a team's members as GitHub's REST API lists them, which includes the members
 *   of its child teams; a team's direct members are worked out when the entities are rendered.
 */
export const githubOrgs = sqliteTable("github_orgs", {
  id: integer("id").primaryKey(),
  login: text("login").notNull(),
  installationId: integer("installation_id"),
  leaseOwner: text("lease_owner"),
  leaseUntil: integer("lease_until"),
  createdAt: integer("created_at").notNull(),
  updatedAt: integer("updated_at").notNull(),
});

export const githubOrgTeams = sqliteTable(
  "github_org_teams",
  {
    orgId: integer("org_id").notNull(),
    id: integer("id").notNull(),
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    description: text("description"),
    parentId: integer("parent_id"),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.id] })],
);

export const githubOrgMembers = sqliteTable(
  "github_org_members",
  {
    orgId: integer("org_id").notNull(),
    login: text("login").notNull(),
    userId: integer("user_id"),
    name: text("name"),
    email: text("email"),
    bio: text("bio"),
    avatarUrl: text("avatar_url"),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.login] })],
);

export const githubOrgTeamMembers = sqliteTable(
  "github_org_team_members",
  {
    orgId: integer("org_id").notNull(),
    teamId: integer("team_id").notNull(),
    login: text("login").notNull(),
  },
  (t) => [primaryKey({ columns: [t.orgId, t.teamId, t.login] }), index("github_org_team_members_login_idx").on(t.orgId, t.login)],
);

/*
 * Identity and access (issue 9).
 * - service_tokens: machine credentials created by admins. Only the SHA-256 of the token is kept (`hash`);
 *   `scopes` is a JSON array of permission names; `last_used_at` moves at most once a minute.
 * - audit_log: sign-ins, token creation and revocation, and every write that passed the access seam:
 *   who (`actor`, a user ref, `token:<id>` or `admin-token`), what (`action`, `method`, `path`, `status`),
 *   when (`at`) and from where (`ip`, `user_agent`).
 */
export const serviceTokens = sqliteTable(
  "service_tokens",
  {
    id: text("id").primaryKey(),
    name: text("name").notNull(),
    hash: text("hash").notNull(),
    scopes: text("scopes").notNull(),
    createdBy: text("created_by").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
    lastUsedAt: integer("last_used_at"),
  },
  (t) => [uniqueIndex("service_tokens_hash_idx").on(t.hash)],
);

export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actor: text("actor").notNull(),
    action: text("action").notNull(),
    method: text("method"),
    path: text("path"),
    status: integer("status"),
    target: text("target"),
    detail: text("detail"),
    ip: text("ip"),
    userAgent: text("user_agent"),
  },
  (t) => [index("audit_log_at_idx").on(t.at), index("audit_log_actor_idx").on(t.actor, t.id), index("audit_log_action_idx").on(t.action, t.id)],
);
