-- Fewer bytes per entity, third step (issue 13; docs/scaling.md; `npm run bench -- --only storage`).
-- A description's or title's search row kept its original text (the description is the catalog's longest
-- indexed value, about 160 bytes, and nearly always has capitals) although the entity row holds the same
-- text (entities.description and entities.title, read from the body). The write path now stores NULL there
-- when the original is that field (worker/catalog/store/apply-file.ts), and the `search` view reads it back
-- from the entity row; a row whose value is NULL (over 200 characters) still has no original, as before.
DROP VIEW `search`;
--> statement-breakpoint
CREATE VIEW `search` AS
  SELECT r.entity_id AS entity_id, k.key AS key, r.value AS value, coalesce(r.original_value,
      CASE WHEN r.value IS NULL THEN NULL
        WHEN k.key = 'metadata.description' THEN (SELECT e.description FROM entities e WHERE e.id = r.entity_id)
        WHEN k.key = 'metadata.title' THEN (SELECT e.title FROM entities e WHERE e.id = r.entity_id) END,
      r.value) AS original_value
  FROM search_rows r JOIN search_keys k ON k.id = r.key_id;
--> statement-breakpoint
UPDATE `search_rows` SET original_value = NULL
WHERE key_id = (SELECT id FROM search_keys WHERE key = 'metadata.description') AND original_value IS NOT NULL
  AND original_value = (SELECT e.description FROM entities e WHERE e.id = search_rows.entity_id);
--> statement-breakpoint
UPDATE `search_rows` SET original_value = NULL
WHERE key_id = (SELECT id FROM search_keys WHERE key = 'metadata.title') AND original_value IS NOT NULL
  AND original_value = (SELECT e.title FROM entities e WHERE e.id = search_rows.entity_id);
