-- Fewer bytes per entity, second step (issue 13; docs/scaling.md; `npm run bench -- --only storage`).
--
-- 1. search_rows clustered by entity: a WITHOUT ROWID table keyed (entity_id, key_id, ord), so the table is
--    its own entity index (search_rows_entity_idx and the rowid go). `ord` tells apart an entity's rows of one
--    key (array items: tags, dependsOn, ...); it is 0 for most rows, which SQLite stores in no bytes. The
--    (key_id, value, entity_id) index stays: filters, ordering and facets walk it.
--    metadata.etag rows go: Backstage does not index the etag (it is one of buildEntitySearch's special
--    keys, and worker/catalog/search-index.ts skips it too); the write path added it by mistake.
DROP VIEW `search`;
--> statement-breakpoint
CREATE TABLE `search_rows_by_entity` (
	`entity_id` integer NOT NULL,
	`key_id` integer NOT NULL,
	`ord` integer NOT NULL,
	`value` text,
	`original_value` text,
	PRIMARY KEY (`entity_id`, `key_id`, `ord`)
) WITHOUT ROWID;
--> statement-breakpoint
INSERT INTO `search_rows_by_entity` (entity_id, key_id, ord, value, original_value)
SELECT entity_id, key_id, row_number() OVER (PARTITION BY entity_id, key_id ORDER BY rowid) - 1, value, original_value
FROM search_rows WHERE key_id IS NOT (SELECT id FROM search_keys WHERE key = 'metadata.etag')
ORDER BY entity_id, key_id, rowid;
--> statement-breakpoint
DROP TABLE `search_rows`;
--> statement-breakpoint
ALTER TABLE `search_rows_by_entity` RENAME TO `search_rows`;
--> statement-breakpoint
DELETE FROM `search_keys` WHERE key = 'metadata.etag';
--> statement-breakpoint
CREATE INDEX `search_rows_key_value_idx` ON `search_rows` (`key_id`, `value`, `entity_id`);
--> statement-breakpoint
CREATE VIEW `search` AS
  SELECT r.entity_id AS entity_id, k.key AS key, r.value AS value, coalesce(r.original_value, r.value) AS original_value
  FROM search_rows r JOIN search_keys k ON k.id = r.key_id;
--> statement-breakpoint
-- 2. Relations stored without their JSON scaffolding. relations_json repeated `{"type":"`, `","targetRef":"`
--    and `"},` around every relation (27 of its ~45 bytes). relation_list keeps only the JSON-escaped type
--    and target ref of each, a tab between them and a newline between relations ('' for none: JSON-escaped
--    strings hold neither character raw); relations_json becomes a virtual generated column that puts the
--    scaffolding back with two replace() calls, so reads splice it as before and it costs no bytes.
ALTER TABLE `entities` ADD COLUMN `relation_list` text DEFAULT '' NOT NULL;
--> statement-breakpoint
UPDATE `entities` SET `relation_list` = coalesce((
  SELECT group_concat(t, char(10)) FROM (
    SELECT substr(json_quote(j.value->>'type'), 2, length(json_quote(j.value->>'type')) - 2) || char(9) ||
      substr(json_quote(j.value->>'targetRef'), 2, length(json_quote(j.value->>'targetRef')) - 2) AS t
    FROM json_each(entities.relations_json) j ORDER BY j.key)), '');
--> statement-breakpoint
DROP TRIGGER `entities_rev_on_change`;
--> statement-breakpoint
ALTER TABLE `entities` DROP COLUMN `relations_json`;
--> statement-breakpoint
ALTER TABLE `entities` ADD COLUMN `relations_json` text GENERATED ALWAYS AS ('[' || CASE WHEN relation_list = '' THEN '' ELSE
  '{"type":"' || replace(replace(relation_list, char(10), '"},{"type":"'), char(9), '","targetRef":"') || '"}' END || ']') VIRTUAL;
--> statement-breakpoint
CREATE TRIGGER `entities_rev_on_change` AFTER UPDATE OF body, relation_list, ref ON `entities`
WHEN old.body IS NOT new.body OR old.relation_list IS NOT new.relation_list OR old.ref IS NOT new.ref
BEGIN
  UPDATE entities SET rev = rev + 1 WHERE id = new.id;
END;
--> statement-breakpoint
-- 3. An index no query reads (nothing filters or orders entities by updated_at).
DROP INDEX `entities_updated_at_idx`;
