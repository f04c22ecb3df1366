CREATE TABLE `entities` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`uid` text NOT NULL,
	`etag` text NOT NULL,
	`ref` text NOT NULL,
	`kind` text NOT NULL,
	`namespace` text NOT NULL,
	`name` text NOT NULL,
	`title` text,
	`description` text,
	`tags` text,
	`body` text NOT NULL,
	`hash` text NOT NULL,
	`location_key` text NOT NULL,
	`origin_key` text NOT NULL,
	`parent_ref` text,
	`provenance` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `entities_ref_idx` ON `entities` (`ref`);--> statement-breakpoint
CREATE UNIQUE INDEX `entities_uid_idx` ON `entities` (`uid`);--> statement-breakpoint
CREATE INDEX `entities_location_key_idx` ON `entities` (`location_key`);--> statement-breakpoint
CREATE INDEX `entities_origin_key_idx` ON `entities` (`origin_key`);--> statement-breakpoint
CREATE INDEX `entities_updated_at_idx` ON `entities` (`updated_at`);--> statement-breakpoint
CREATE TABLE `entity_changes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`entity_ref` text NOT NULL,
	`kind` text NOT NULL,
	`owner` text,
	`action` text NOT NULL,
	`diff` text,
	`location_key` text NOT NULL,
	`commit_sha` text,
	`actor` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `entity_changes_ref_idx` ON `entity_changes` (`entity_ref`,`id`);--> statement-breakpoint
CREATE INDEX `entity_changes_owner_idx` ON `entity_changes` (`owner`,`id`);--> statement-breakpoint
CREATE INDEX `entity_changes_created_idx` ON `entity_changes` (`created_at`);--> statement-breakpoint
CREATE TABLE `facet_counts` (
	`scope` text NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	`count` integer NOT NULL,
	PRIMARY KEY(`scope`, `key`, `value`)
);
--> statement-breakpoint
CREATE TABLE `files` (
	`location_key` text PRIMARY KEY NOT NULL,
	`origin_key` text NOT NULL,
	`parent_ref` text,
	`content_hash` text,
	`commit_sha` text,
	`commit_time` integer,
	`indexed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `files_origin_idx` ON `files` (`origin_key`);--> statement-breakpoint
CREATE TABLE `locations` (
	`id` text PRIMARY KEY NOT NULL,
	`type` text NOT NULL,
	`target` text NOT NULL,
	`key` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `locations_key_idx` ON `locations` (`key`);--> statement-breakpoint
CREATE TABLE `processing_errors` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`location_key` text NOT NULL,
	`origin_key` text NOT NULL,
	`entity_ref` text,
	`doc_index` integer,
	`field` text,
	`name` text NOT NULL,
	`message` text NOT NULL,
	`line` integer,
	`commit_sha` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `processing_errors_location_idx` ON `processing_errors` (`location_key`);--> statement-breakpoint
CREATE INDEX `processing_errors_entity_idx` ON `processing_errors` (`entity_ref`);--> statement-breakpoint
CREATE TABLE `relations` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source_ref` text NOT NULL,
	`type` text NOT NULL,
	`target_ref` text NOT NULL,
	`origin_ref` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `relations_source_idx` ON `relations` (`source_ref`,`type`,`target_ref`);--> statement-breakpoint
CREATE INDEX `relations_target_idx` ON `relations` (`target_ref`,`type`);--> statement-breakpoint
CREATE INDEX `relations_origin_idx` ON `relations` (`origin_ref`);--> statement-breakpoint
CREATE TABLE `search` (
	`entity_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text,
	`original_value` text
);
--> statement-breakpoint
CREATE INDEX `search_key_value_idx` ON `search` (`key`,`value`,`entity_id`);--> statement-breakpoint
CREATE INDEX `search_key_original_idx` ON `search` (`key`,`original_value`);--> statement-breakpoint
CREATE INDEX `search_entity_idx` ON `search` (`entity_id`);