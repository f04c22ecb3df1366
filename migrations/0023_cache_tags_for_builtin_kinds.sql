-- Cache tags for the built-in kinds only (issue 13 / the security model: every input has a budget).
-- Migration 0014 kept a catalog_tags row per kind any entity ever had, and read-cache.ts reads that table whole on
-- every shared tag read ("a few dozen rows at most"). But kinds outside the built-in nine pass validation by design,
-- so anyone who can push a catalog file could add thousands of kinds (a file may hold 5,000 documents), and every
-- cached read would then fetch thousands of rows; nor did a kind's row go when its last entity did. Now only the
-- built-in kinds (worker/catalog/kinds.ts KIND_DEFINITIONS, lower-cased) have tags, and an answer about any other
-- kind depends on the whole catalog's version (kindTags in read-cache.ts), as every answer did before 0014.
DROP TRIGGER `entities_tag_ai`;
--> statement-breakpoint
DROP TRIGGER `entities_tag_ad`;
--> statement-breakpoint
DROP TRIGGER `entities_tag_au`;
--> statement-breakpoint
CREATE TRIGGER `entities_tag_ai` AFTER INSERT ON `entities` WHEN lower(new.kind) IN ('component', 'api', 'resource', 'system', 'domain', 'group', 'user', 'location', 'template')
BEGIN
  INSERT INTO catalog_tags (tag, version) VALUES ('kind:' || lower(new.kind), 1)
    ON CONFLICT(tag) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `entities_tag_ad` AFTER DELETE ON `entities` WHEN lower(old.kind) IN ('component', 'api', 'resource', 'system', 'domain', 'group', 'user', 'location', 'template')
BEGIN
  INSERT INTO catalog_tags (tag, version) VALUES ('kind:' || lower(old.kind), 1)
    ON CONFLICT(tag) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `entities_tag_au` AFTER UPDATE OF rev, kind ON `entities`
BEGIN
  INSERT INTO catalog_tags (tag, version) SELECT 'kind:' || lower(old.kind), 1 WHERE lower(old.kind) IN ('component', 'api', 'resource', 'system', 'domain', 'group', 'user', 'location', 'template')
    ON CONFLICT(tag) DO UPDATE SET version = version + 1;
  INSERT INTO catalog_tags (tag, version) SELECT 'kind:' || lower(new.kind), 1 WHERE lower(new.kind) IN ('component', 'api', 'resource', 'system', 'domain', 'group', 'user', 'location', 'template')
    ON CONFLICT(tag) DO UPDATE SET version = version + 1;
END;
--> statement-breakpoint
DELETE FROM `catalog_tags` WHERE tag NOT IN ('kind:component', 'kind:api', 'kind:resource', 'kind:system', 'kind:domain', 'kind:group', 'kind:user', 'kind:location', 'kind:template');
