-- A feed of the entities whose rendering changed (issue 13, worker/catalog/change-feed.ts): one row per entity
-- added, removed or re-rendered (body, relations, ref or a processing error on it), in commit order, with the
-- search keys the change touched when the write knows them. An isolate reads the rows after the last it saw
-- with the tag versions it reads anyway, so a cached answer whose tags moved is known to be unchanged when the
-- feed since it was read holds none of its entities and touched none of the keys it filters, orders or counts
-- by: served again without a query.
--
-- entity_feed.keys: a JSON array of the search keys (search_rows.key) whose rows the change altered, '[]' for a
-- change that only re-renders (a processing error), NULL when unknown (an entity added or removed, its
-- relations or ref changed, or a write that did not say): NULL counts as every key. A write says by putting
-- rows in entity_feed_keys for the refs it rewrites, in its own batch, before rewriting them, and deleting them
-- after (store/apply-file.ts).
--
-- seq is AUTOINCREMENT: never reused, and without gaps except at the front: every 1,024th row drops the rows
-- older than the newest 8,192 (a few hundred KB), so an isolate that fell further behind starts over (its
-- answers are checked by query meanwhile).
CREATE TABLE `entity_feed` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity_id` integer NOT NULL,
	`ref` text NOT NULL,
	`keys` text
);
--> statement-breakpoint
CREATE TABLE `entity_feed_keys` (
	`ref` text PRIMARY KEY NOT NULL,
	`keys` text NOT NULL
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TRIGGER `entities_feed_ai` AFTER INSERT ON `entities`
BEGIN
  INSERT INTO entity_feed (entity_id, ref, keys) VALUES (new.id, new.ref, NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `entities_feed_ad` AFTER DELETE ON `entities`
BEGIN
  INSERT INTO entity_feed (entity_id, ref, keys) VALUES (old.id, old.ref, NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `entities_feed_body` AFTER UPDATE OF body ON `entities` WHEN old.body IS NOT new.body
BEGIN
  INSERT INTO entity_feed (entity_id, ref, keys) VALUES (new.id, new.ref, (SELECT keys FROM entity_feed_keys WHERE ref = new.ref));
END;
--> statement-breakpoint
CREATE TRIGGER `entities_feed_relations` AFTER UPDATE OF relation_list ON `entities` WHEN old.relation_list IS NOT new.relation_list
BEGIN
  INSERT INTO entity_feed (entity_id, ref, keys) VALUES (new.id, new.ref, NULL);
END;
--> statement-breakpoint
CREATE TRIGGER `entities_feed_ref` AFTER UPDATE OF ref ON `entities` WHEN old.ref IS NOT new.ref
BEGIN
  INSERT INTO entity_feed (entity_id, ref, keys) VALUES (old.id, old.ref, NULL);
  INSERT INTO entity_feed (entity_id, ref, keys) VALUES (new.id, new.ref, NULL);
END;
--> statement-breakpoint
-- A processing error on an entity re-renders it (migration 0014 moves its rev) and touches no search key.
CREATE TRIGGER `processing_errors_feed_ai` AFTER INSERT ON `processing_errors` WHEN new.entity_ref IS NOT NULL
BEGIN
  INSERT INTO entity_feed (entity_id, ref, keys) SELECT id, ref, '[]' FROM entities WHERE ref = new.entity_ref;
END;
--> statement-breakpoint
CREATE TRIGGER `processing_errors_feed_ad` AFTER DELETE ON `processing_errors` WHEN old.entity_ref IS NOT NULL
BEGIN
  INSERT INTO entity_feed (entity_id, ref, keys) SELECT id, ref, '[]' FROM entities WHERE ref = old.entity_ref;
END;
--> statement-breakpoint
CREATE TRIGGER `processing_errors_feed_au` AFTER UPDATE ON `processing_errors`
BEGIN
  INSERT INTO entity_feed (entity_id, ref, keys) SELECT id, ref, '[]' FROM entities WHERE ref IN (old.entity_ref, new.entity_ref);
END;
--> statement-breakpoint
CREATE TRIGGER `entity_feed_prune` AFTER INSERT ON `entity_feed` WHEN new.seq % 1024 = 0
BEGIN
  DELETE FROM entity_feed WHERE seq <= new.seq - 8192;
END;
