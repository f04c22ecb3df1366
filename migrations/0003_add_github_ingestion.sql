CREATE TABLE `github_deliveries` (
	`id` text PRIMARY KEY NOT NULL,
	`event` text NOT NULL,
	`action` text,
	`repo` text,
	`status` text NOT NULL,
	`detail` text,
	`attempts` integer NOT NULL,
	`received_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `github_deliveries_received_idx` ON `github_deliveries` (`received_at`);--> statement-breakpoint
CREATE TABLE `github_file_reads` (
	`origin_key` text NOT NULL,
	`location_key` text NOT NULL,
	`path` text NOT NULL,
	`sha` text,
	PRIMARY KEY(`location_key`, `path`)
);
--> statement-breakpoint
CREATE INDEX `github_file_reads_origin_idx` ON `github_file_reads` (`origin_key`);--> statement-breakpoint
CREATE TABLE `github_imports` (
	`id` text PRIMARY KEY NOT NULL,
	`target` text NOT NULL,
	`status` text NOT NULL,
	`listed` integer NOT NULL,
	`repos_total` integer NOT NULL,
	`repos_done` integer NOT NULL,
	`files_total` integer NOT NULL,
	`files_done` integer NOT NULL,
	`entities` integer NOT NULL,
	`errors` integer NOT NULL,
	`message` text,
	`started_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`finished_at` integer
);
--> statement-breakpoint
CREATE TABLE `github_repos` (
	`id` integer PRIMARY KEY NOT NULL,
	`owner` text NOT NULL,
	`name` text NOT NULL,
	`default_branch` text NOT NULL,
	`installation_id` integer,
	`origin_key` text NOT NULL,
	`head_sha` text,
	`head_time` integer,
	`status` text NOT NULL,
	`last_error` text,
	`indexed_at` integer,
	`lease_owner` text,
	`lease_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `github_repos_full_name_idx` ON `github_repos` (`owner`,`name`);--> statement-breakpoint
CREATE INDEX `github_repos_installation_idx` ON `github_repos` (`installation_id`);--> statement-breakpoint
CREATE TABLE `job_dead_letters` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`type` text NOT NULL,
	`body` text NOT NULL,
	`error` text NOT NULL,
	`attempts` integer NOT NULL,
	`delivery_id` text,
	`created_at` integer NOT NULL,
	`replayed_at` integer
);
--> statement-breakpoint
CREATE INDEX `job_dead_letters_created_idx` ON `job_dead_letters` (`created_at`);