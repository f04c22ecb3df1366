-- Full text over the catalog: trigram tokens give substring matches (Backstage's fullTextFilter is a
-- substring match) and highlight() for the portal's search page. Kept in sync with entities by triggers.
CREATE VIRTUAL TABLE `entities_fts` USING fts5(name, title, description, tags, content='entities', content_rowid='id', tokenize='trigram');
--> statement-breakpoint
CREATE TRIGGER `entities_fts_ai` AFTER INSERT ON `entities` BEGIN
  INSERT INTO entities_fts(rowid, name, title, description, tags) VALUES (new.id, new.name, new.title, new.description, new.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `entities_fts_ad` AFTER DELETE ON `entities` BEGIN
  INSERT INTO entities_fts(entities_fts, rowid, name, title, description, tags) VALUES ('delete', old.id, old.name, old.title, old.description, old.tags);
END;
--> statement-breakpoint
CREATE TRIGGER `entities_fts_au` AFTER UPDATE OF name, title, description, tags ON `entities` BEGIN
  INSERT INTO entities_fts(entities_fts, rowid, name, title, description, tags) VALUES ('delete', old.id, old.name, old.title, old.description, old.tags);
  INSERT INTO entities_fts(rowid, name, title, description, tags) VALUES (new.id, new.name, new.title, new.description, new.tags);
END;
