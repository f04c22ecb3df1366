-- Facet counts are now adjusted set-wise by each write batch (worker/catalog/store/derived.ts): one grouped
-- upsert per batch instead of two upserts and a kind lookup per inserted or deleted search row.
DROP TRIGGER IF EXISTS `facet_counts_ai`;
--> statement-breakpoint
DROP TRIGGER IF EXISTS `facet_counts_ad`;
--> statement-breakpoint
-- Recount from the search rows, now with each value's folded form.
DELETE FROM `facet_counts`;
--> statement-breakpoint
WITH rows AS (
  SELECT s.key AS key, s.original_value AS value, s.value AS folded, lower(e.kind) AS kind FROM search s JOIN entities e ON e.id = s.entity_id
  WHERE s.key IN ('kind', 'apiversion', 'metadata.namespace', 'metadata.tags', 'spec.type', 'spec.lifecycle', 'spec.owner', 'spec.system', 'spec.domain')
    AND s.original_value IS NOT NULL)
INSERT INTO `facet_counts` (scope, key, value, folded, count)
SELECT scope, key, value, max(folded), count(*) FROM (
  SELECT '' AS scope, key, value, folded FROM rows UNION ALL SELECT kind AS scope, key, value, folded FROM rows)
GROUP BY scope, key, value;
--> statement-breakpoint
-- Render the stored relations of entities written before this migration (both halves of each pair).
UPDATE `entities` SET `relations_json` = (
  SELECT json_group_array(json_object('type', type, 'targetRef', target_ref))
  FROM (SELECT DISTINCT type, target_ref FROM relations WHERE source_ref = entities.ref ORDER BY type, target_ref)
);
