-- Finer read-cache invalidation (issue 13, worker/catalog/read-cache.ts, worker/catalog/entity-cache.ts).
-- entities.rev: moves whenever what the entity renders as changes (body, relations_json, ref, or a processing
-- error on it); ids are never reused (AUTOINCREMENT), so (id, rev) names one rendering of one entity.
ALTER TABLE `entities` ADD `rev` integer DEFAULT 0 NOT NULL;
--> statement-breakpoint
-- catalog_tags: one version per kind ('kind:<lower kind>'), moved whenever an entity of that kind is added,
-- removed or re-rendered. An answer that only holds entities of known kinds depends only on those tags.
CREATE TABLE `catalog_tags` (
	`tag` text PRIMARY KEY NOT NULL,
	`version` integer NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `entities_rev_on_change` AFTER UPDATE OF body, relations_json, ref ON `entities`
WHEN old.body IS NOT new.body OR old.relations_json IS NOT new.relations_json OR old.ref IS NOT new.ref
BEGIN
  UPDATE entities SET rev = rev + 1 WHERE id = new.id;
END;
--> statement-breakpoint
CREATE TRIGGER `processing_errors_rev_ai` AFTER INSERT ON `processing_errors` WHEN new.entity_ref IS NOT NULL
BEGIN
  UPDATE entities SET rev = rev + 1 WHERE ref = new.entity_ref;
END;
--> statement-breakpoint
CREATE TRIGGER `processing_errors_rev_ad` AFTER DELETE ON `processing_errors` WHEN old.entity_ref IS NOT NULL
BEGIN
  UPDATE entities SET rev = rev + 1 WHERE ref = old.entity_ref;
END;
--> statement-breakpoint
CREATE TRIGGER `processing_errors_rev_au` AFTER UPDATE ON `processing_errors`
BEGIN
  UPDATE entities SET rev = rev + 1 WHERE ref IN (old.entity_ref, new.entity_ref);
END;
--> statement-breakpoint
CREATE TRIGGER `entities_tag_ai` AFTER INSERT ON `entities`
BEGIN
  INSERT INTO catalog_tags (tag, version) VALUES ('kind:' || lower(new.kind), 1)
    ON CONFLICT(tag) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `entities_tag_ad` AFTER DELETE ON `entities`
BEGIN
  INSERT INTO catalog_tags (tag, version) VALUES ('kind:' || lower(old.kind), 1)
    ON CONFLICT(tag) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `entities_tag_au` AFTER UPDATE OF rev, kind ON `entities`
BEGIN
  INSERT INTO catalog_tags (tag, version) VALUES ('kind:' || lower(old.kind), 1)
    ON CONFLICT(tag) DO UPDATE SET version = version + 1;
  INSERT INTO catalog_tags (tag, version) VALUES ('kind:' || lower(new.kind), 1)
    ON CONFLICT(tag) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
INSERT INTO catalog_tags (tag, version) SELECT DISTINCT 'kind:' || lower(kind), 1 FROM entities WHERE true
  ON CONFLICT(tag) DO NOTHING;
