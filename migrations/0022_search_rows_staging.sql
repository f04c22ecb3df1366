-- A write batch's search rows go into the value index in one ordered pass (issue 13, loading 100,000 entities).
-- A batch's rows are bound as JSON parameters of at most ~900 KB, so a 2,000-entity bulk batch sends them in
-- three statements; each was sorted by (key_id, value), but each swept the value index again, dirtying pages a
-- previous sweep had already written out of SQLite's cache. When a batch has more than one chunk, the chunks now
-- land here (no index, so appending is cheap) and one INSERT ... ORDER BY moves them to search_rows, in the same
-- transaction, which then empties this table (worker/catalog/store/apply-file.ts). Empty outside a batch.
CREATE TABLE `search_rows_staging` (
	`entity_id` integer NOT NULL,
	`key_id` integer NOT NULL,
	`ord` integer NOT NULL,
	`value` text,
	`original_value` text
);
