-- Problems a plugin records against an entity (issue 11; worker/plugins/context/problems.ts): rows of
-- processing_errors with plugin_id set, so they are returned and shown wherever the entity's processing errors
-- are (status.items, /processing-errors, entity-info) and move the entity's rev through the existing triggers.
-- The catalog's own rows have plugin_id NULL: its file reads replace only those, and a plugin replaces or
-- clears only the rows carrying its id.
ALTER TABLE `processing_errors` ADD `plugin_id` text;
