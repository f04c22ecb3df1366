/**
 * The D1 schema, the one place column names are spelled. Migrations under migrations/ are generated
 * from it with `npm run db:generate`; the FTS5 table and its triggers live in a custom migration.
 *
 * Tables:
 * - entities: one row per visible entity, keyed by the lower-cased ref. `body` is the entity as
 *   written (with uid/etag and location annotations), relations are joined in at read time so one
 *   entity's write never has to rewrite another's body.
 * - relations: both halves of every relation pair, tagged with the entity whose processing emitted
 *   them (`origin_ref`), so re-processing or deleting an entity removes exactly its rows.
 * - search: the flattened, lower-cased dotted-path index Backstage filters, orders and facets on.
 * - locations: registered locations (POST /locations, catalog:load roots).
 * - files: one row per descriptor file read (a "location key"), with the content hash and commit
 *   last indexed, so stale or repeated deliveries are skipped.
 * - processing_errors: why a file or one of its documents was rejected; replaced on each read.
 * - entity_changes: the change log (added / updated with a field diff / removed).
 * - facet_counts: per (scope, key, value) entity counts for the portal's facet keys, kept by triggers on
 *   `search` (migration 0002) so unfiltered and kind-scoped facets are one indexed read.
 * - entities_fts (migration 0001): FTS5 trigram index over name, title, description and tags.
 */
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
    title: text("title"),
    description: text("description"),
    tags: text("tags"),
    body: text("body").notNull(),
    hash: text("hash").notNull(),
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
    index("entities_updated_at_idx").on(t.updatedAt),
  ],
);

export const relations = sqliteTable(
  "relations",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    sourceRef: text("source_ref").notNull(),
    type: text("type").notNull(),
    targetRef: text("target_ref").notNull(),
    originRef: text("origin_ref").notNull(),
  },
  (t) => [
    index("relations_source_idx").on(t.sourceRef, t.type, t.targetRef),
    index("relations_target_idx").on(t.targetRef, t.type),
    index("relations_origin_idx").on(t.originRef),
  ],
);

export const search = sqliteTable(
  "search",
  {
    entityId: integer("entity_id").notNull(),
    key: text("key").notNull(),
    value: text("value"),
    originalValue: text("original_value"),
  },
  (t) => [
    index("search_key_value_idx").on(t.key, t.value, t.entityId),
    index("search_key_original_idx").on(t.key, t.originalValue),
    index("search_entity_idx").on(t.entityId),
  ],
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
    count: integer("count").notNull(),
  },
  (t) => [primaryKey({ columns: [t.scope, t.key, t.value] })],
);
