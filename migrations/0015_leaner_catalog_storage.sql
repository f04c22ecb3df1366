-- Fewer bytes per entity (issue 13, step 5; docs/scaling.md; `npm run bench -- --only storage` measures it).
--
-- 1. Relations stored once. `relations` held both halves of every pair (A ownedBy G and G ownerOf A, both
--    emitted by A) with three indexes. relation_pairs keeps one row per pair, keyed by the entity that emitted
--    it (always one end of the pair), clustered on that key (WITHOUT ROWID: the table is its own origin and
--    source index) plus one index on the other end. `relations` becomes a view of both halves with the old
--    columns, so reads keep their SQL; SQLite pushes each condition into both arms of the UNION ALL.
CREATE TABLE `relation_pairs` (
	`origin_ref` text NOT NULL,
	`type` text NOT NULL,
	`other_ref` text NOT NULL,
	`reverse_type` text NOT NULL,
	PRIMARY KEY (`origin_ref`, `type`, `other_ref`, `reverse_type`)
) WITHOUT ROWID;
--> statement-breakpoint
CREATE INDEX `relation_pairs_other_idx` ON `relation_pairs` (`other_ref`, `reverse_type`);
--> statement-breakpoint
-- Each half starting at its origin is a pair; its reverse type is the built-in kinds' mirror of its type
-- (worker/catalog/kinds.ts), else the type of the stored half going back (there is always one).
WITH mirror(type, reverse) AS (VALUES
  ('ownedBy', 'ownerOf'), ('ownerOf', 'ownedBy'), ('partOf', 'hasPart'), ('hasPart', 'partOf'),
  ('dependsOn', 'dependencyOf'), ('dependencyOf', 'dependsOn'), ('providesApi', 'apiProvidedBy'),
  ('apiProvidedBy', 'providesApi'), ('consumesApi', 'apiConsumedBy'), ('apiConsumedBy', 'consumesApi'),
  ('childOf', 'parentOf'), ('parentOf', 'childOf'), ('hasMember', 'memberOf'), ('memberOf', 'hasMember'))
INSERT INTO `relation_pairs` (origin_ref, type, other_ref, reverse_type)
SELECT f.origin_ref, f.type, f.target_ref, coalesce(
    (SELECT m.reverse FROM mirror m WHERE m.type = f.type),
    (SELECT min(r.type) FROM relations r WHERE r.origin_ref = f.origin_ref AND r.source_ref = f.target_ref AND r.target_ref = f.source_ref),
    f.type)
FROM relations f WHERE f.source_ref = f.origin_ref
ON CONFLICT DO NOTHING;
--> statement-breakpoint
DROP TABLE `relations`;
--> statement-breakpoint
CREATE VIEW `relations` AS
  SELECT origin_ref AS source_ref, type, other_ref AS target_ref, origin_ref FROM relation_pairs
  UNION ALL
  SELECT other_ref AS source_ref, reverse_type AS type, origin_ref AS target_ref, origin_ref FROM relation_pairs;
--> statement-breakpoint
-- 2. A leaner search index. Keys (21 bytes on average, in the table and again in its index) become small
--    integers from search_keys; original_value is NULL when it equals the folded value (85% of rows).
--    `search` becomes a view with the old columns, so reads keep their SQL.
CREATE TABLE `search_keys` (
	`id` integer PRIMARY KEY NOT NULL,
	`key` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `search_keys_key_idx` ON `search_keys` (`key`);
--> statement-breakpoint
CREATE TABLE `search_rows` (
	`entity_id` integer NOT NULL,
	`key_id` integer NOT NULL,
	`value` text,
	`original_value` text
);
--> statement-breakpoint
INSERT INTO `search_keys` (key) SELECT DISTINCT key FROM search WHERE true ORDER BY key;
--> statement-breakpoint
INSERT INTO `search_rows` (entity_id, key_id, value, original_value)
SELECT s.entity_id, k.id, s.value, nullif(s.original_value, s.value) FROM search s JOIN search_keys k ON k.key = s.key ORDER BY s.rowid;
--> statement-breakpoint
DROP TABLE `search`;
--> statement-breakpoint
CREATE INDEX `search_rows_key_value_idx` ON `search_rows` (`key_id`, `value`, `entity_id`);
--> statement-breakpoint
CREATE INDEX `search_rows_entity_idx` ON `search_rows` (`entity_id`, `key_id`);
--> statement-breakpoint
CREATE VIEW `search` AS
  SELECT r.entity_id AS entity_id, k.key AS key, r.value AS value, coalesce(r.original_value, r.value) AS original_value
  FROM search_rows r JOIN search_keys k ON k.id = r.key_id;
--> statement-breakpoint
-- 3. Entity rows without copies: `hash` always equalled `etag`; title and description (kept for the FTS
--    index and the portal search) are read from the body instead of stored twice. Dropping columns a
--    trigger names is refused, so the FTS triggers are recreated around it, unchanged but for UPDATE OF.
DROP TRIGGER `entities_fts_ai`;
--> statement-breakpoint
DROP TRIGGER `entities_fts_ad`;
--> statement-breakpoint
DROP TRIGGER `entities_fts_au`;
--> statement-breakpoint
ALTER TABLE `entities` DROP COLUMN `hash`;
--> statement-breakpoint
ALTER TABLE `entities` DROP COLUMN `title`;
--> statement-breakpoint
ALTER TABLE `entities` DROP COLUMN `description`;
--> statement-breakpoint
ALTER TABLE `entities` ADD COLUMN `title` text GENERATED ALWAYS AS (CASE WHEN json_type(body, '$.metadata.title') = 'text' THEN json_extract(body, '$.metadata.title') END) VIRTUAL;
--> statement-breakpoint
ALTER TABLE `entities` ADD COLUMN `description` text GENERATED ALWAYS AS (CASE WHEN json_type(body, '$.metadata.description') = 'text' THEN json_extract(body, '$.metadata.description') END) VIRTUAL;
--> statement-breakpoint
CREATE TRIGGER `entities_fts_ai` AFTER INSERT ON `entities` BEGIN
  INSERT INTO entities_fts(rowid, name, title, description, tags) VALUES (new.id, new.name, new.title, new.description, new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `entities_fts_ad` AFTER DELETE ON `entities` BEGIN
  INSERT INTO entities_fts(entities_fts, rowid, name, title, description, tags) VALUES ('delete', old.id, old.name, old.title, old.description, old.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `entities_fts_au` AFTER UPDATE OF name, body, tags ON `entities` BEGIN
  INSERT INTO entities_fts(entities_fts, rowid, name, title, description, tags) VALUES ('delete', old.id, old.name, old.title, old.description, old.tags);
  INSERT INTO entities_fts(rowid, name, title, description, tags) VALUES (new.id, new.name, new.title, new.description, new.tags);
END;
