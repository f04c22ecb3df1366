-- Each entity row written once per change (issue 13, loading 100,000 entities).
-- entities_rev_on_change (migrations 0014, 0018) moved rev with a second UPDATE of the row after every change
-- to its body or relation list, so every new entity (inserted, then given its relation list) and every hub
-- whose list a batch grew was written twice, and a long hub row's overflow pages with it. The writers now move
-- rev in the statement that changes the row (worker/catalog/store/apply-file.ts, derived.ts: the entity's
-- upsert, with its relation list computed there, and the refresh of the other ends, which skips unchanged
-- lists). The trigger is kept for the ref only, which no writer changes in place.
DROP TRIGGER `entities_rev_on_change`;
--> statement-breakpoint
CREATE TRIGGER `entities_rev_on_ref` AFTER UPDATE OF ref ON `entities` WHEN old.ref IS NOT new.ref
BEGIN
  UPDATE entities SET rev = rev + 1 WHERE id = new.id;
END;
