-- The other ends a write batch must re-render, found inside the batch (worker/catalog/store/apply-file.ts).
-- A batch that rewrites or removes entities deletes the relation pairs they emitted; the entities at the other
-- end of those pairs need their relation lists re-rendered at the end of the batch. They were read before the
-- batch, so a write to the same location landing in between could leave one out (and a removal re-rendered its
-- other ends a second time inside the batch to be safe). Now the batch notes them here, from the pairs as they
-- stand before it deletes any, re-renders them once at its end, and empties the table. Empty outside a batch.
CREATE TABLE `relation_refresh` (
	`ref` text PRIMARY KEY NOT NULL
) WITHOUT ROWID;
