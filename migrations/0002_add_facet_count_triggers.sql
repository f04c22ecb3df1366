-- Facet counts for the keys the portal filters on, kept exact at write time: every search row of a facet key
-- counts once for the whole catalog (scope '') and once for its entity's kind. The write path deletes an
-- entity's search rows before it changes or deletes the entity, so the kind read here is the one counted.
CREATE TRIGGER `facet_counts_ai` AFTER INSERT ON `search`
WHEN new.original_value IS NOT NULL AND new.key IN ('kind', 'apiversion', 'metadata.namespace', 'metadata.tags', 'spec.type', 'spec.lifecycle', 'spec.owner', 'spec.system', 'spec.domain')
BEGIN
  INSERT INTO facet_counts(scope, key, value, count) VALUES ('', new.key, new.original_value, 1)
    ON CONFLICT(scope, key, value) DO UPDATE SET count = count + 1;
  INSERT INTO facet_counts(scope, key, value, count)
    SELECT lower(kind), new.key, new.original_value, 1 FROM entities WHERE id = new.entity_id
    ON CONFLICT(scope, key, value) DO UPDATE SET count = count + 1;
END;
--> statement-breakpoint
CREATE TRIGGER `facet_counts_ad` AFTER DELETE ON `search`
WHEN old.original_value IS NOT NULL AND old.key IN ('kind', 'apiversion', 'metadata.namespace', 'metadata.tags', 'spec.type', 'spec.lifecycle', 'spec.owner', 'spec.system', 'spec.domain')
BEGIN
  UPDATE facet_counts SET count = count - 1 WHERE scope = '' AND key = old.key AND value = old.original_value;
  UPDATE facet_counts SET count = count - 1
    WHERE scope = (SELECT lower(kind) FROM entities WHERE id = old.entity_id) AND key = old.key AND value = old.original_value;
  DELETE FROM facet_counts WHERE count <= 0 AND key = old.key AND value = old.original_value;
END;
