-- A feed of the entities whose rendering changed (issue 13, worker/catalog/change-feed.ts): one row per entity
-- added, removed or re-rendered (its rev moved: body, relations, ref or a processing error on it), in commit
-- order. An isolate reads the rows after the last it saw with the tag versions it reads anyway, so a cached
-- answer made of named refs (by-refs) whose tags moved is known to be unchanged when none of its refs
-- is in the feed since it was read: served again without a query. seq is AUTOINCREMENT: never reused, and
-- without gaps except at the front: every 1,024th row drops the rows older than the newest 8,192 (a few
-- hundred KB), so an isolate that fell further behind starts over (its answers are checked by query meanwhile).
CREATE TABLE `entity_feed` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`ref` text NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `entities_feed_ai` AFTER INSERT ON `entities`
BEGIN
  INSERT INTO entity_feed (ref) VALUES (new.ref);
END;
--> statement-breakpoint
CREATE TRIGGER `entities_feed_ad` AFTER DELETE ON `entities`
BEGIN
  INSERT INTO entity_feed (ref) VALUES (old.ref);
END;
--> statement-breakpoint
CREATE TRIGGER `entities_feed_au` AFTER UPDATE OF rev, ref ON `entities`
WHEN old.rev IS NOT new.rev OR old.ref IS NOT new.ref
BEGIN
  INSERT INTO entity_feed (ref) SELECT old.ref WHERE old.ref IS NOT new.ref;
  INSERT INTO entity_feed (ref) VALUES (new.ref);
END;
--> statement-breakpoint
CREATE TRIGGER `entity_feed_prune` AFTER INSERT ON `entity_feed` WHEN new.seq % 1024 = 0
BEGIN
  DELETE FROM entity_feed WHERE seq <= new.seq - 8192;
END;
