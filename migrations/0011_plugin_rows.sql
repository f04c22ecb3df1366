-- Plugin storage as named tables with per-plugin quotas (worker/plugins/store.ts). plugin_usage is kept by
-- triggers so a quota check reads one row; the old key/value rows move to each plugin's "default" table.
CREATE TABLE `plugin_rows` (
	`plugin_id` text NOT NULL,
	`tbl` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`bytes` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`plugin_id`, `tbl`, `key`)
);
--> statement-breakpoint
CREATE TABLE `plugin_usage` (
	`plugin_id` text PRIMARY KEY NOT NULL,
	`row_count` integer DEFAULT 0 NOT NULL,
	`byte_count` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TRIGGER `plugin_rows_ai` AFTER INSERT ON `plugin_rows` BEGIN
  INSERT INTO plugin_usage (plugin_id, row_count, byte_count) VALUES (new.plugin_id, 1, new.bytes)
    ON CONFLICT (plugin_id) DO UPDATE SET row_count = row_count + 1, byte_count = byte_count + excluded.byte_count;
END;
--> statement-breakpoint
CREATE TRIGGER `plugin_rows_au` AFTER UPDATE ON `plugin_rows` BEGIN
  UPDATE plugin_usage SET byte_count = byte_count - old.bytes WHERE plugin_id = old.plugin_id;
  INSERT INTO plugin_usage (plugin_id, row_count, byte_count) VALUES (new.plugin_id, 0, new.bytes)
    ON CONFLICT (plugin_id) DO UPDATE SET byte_count = byte_count + excluded.byte_count;
END;
--> statement-breakpoint
CREATE TRIGGER `plugin_rows_ad` AFTER DELETE ON `plugin_rows` BEGIN
  UPDATE plugin_usage SET row_count = row_count - 1, byte_count = byte_count - old.bytes WHERE plugin_id = old.plugin_id;
END;
--> statement-breakpoint
INSERT INTO `plugin_rows` (plugin_id, tbl, key, value, bytes, updated_at)
  SELECT plugin_id, 'default', key, value, length(CAST(key AS BLOB)) + length(CAST(value AS BLOB)), updated_at FROM `plugin_storage`;
--> statement-breakpoint
DROP TABLE `plugin_storage`;
