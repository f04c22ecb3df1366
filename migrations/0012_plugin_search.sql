-- Plugins' slice of the full-text index (worker/plugins/search-store.ts): documents (TechDocs pages, API
-- operations, ...) each owned by one plugin and one entity, returned by the global search next to entities.
-- unicode61 (diacritics folded) gives word matches with bm25 ranking; content rows are kept in sync by triggers.
CREATE TABLE `plugin_search_docs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`plugin_id` text NOT NULL,
	`doc_id` text NOT NULL,
	`entity_ref` text NOT NULL,
	`title` text NOT NULL,
	`section` text,
	`text` text NOT NULL,
	`path` text NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `plugin_search_docs_doc` ON `plugin_search_docs` (`plugin_id`, `doc_id`);
--> statement-breakpoint
CREATE INDEX `plugin_search_docs_entity` ON `plugin_search_docs` (`plugin_id`, `entity_ref`);
--> statement-breakpoint
CREATE VIRTUAL TABLE `plugin_search` USING fts5(title, section, text, content='plugin_search_docs', content_rowid='id', tokenize='unicode61 remove_diacritics 2');
--> statement-breakpoint
CREATE TRIGGER `plugin_search_ai` AFTER INSERT ON `plugin_search_docs` BEGIN
  INSERT INTO plugin_search(rowid, title, section, text) VALUES (new.id, new.title, new.section, new.text);
END;
--> statement-breakpoint
CREATE TRIGGER `plugin_search_ad` AFTER DELETE ON `plugin_search_docs` BEGIN
  INSERT INTO plugin_search(plugin_search, rowid, title, section, text) VALUES ('delete', old.id, old.title, old.section, old.text);
END;
--> statement-breakpoint
CREATE TRIGGER `plugin_search_au` AFTER UPDATE ON `plugin_search_docs` BEGIN
  INSERT INTO plugin_search(plugin_search, rowid, title, section, text) VALUES ('delete', old.id, old.title, old.section, old.text);
  INSERT INTO plugin_search(rowid, title, section, text) VALUES (new.id, new.title, new.section, new.text);
END;
