CREATE TABLE `github_org_members` (
	`org_id` integer NOT NULL,
	`login` text NOT NULL,
	`user_id` integer,
	`name` text,
	`email` text,
	`bio` text,
	`avatar_url` text,
	PRIMARY KEY(`org_id`, `login`)
);
--> statement-breakpoint
CREATE TABLE `github_org_team_members` (
	`org_id` integer NOT NULL,
	`team_id` integer NOT NULL,
	`login` text NOT NULL,
	PRIMARY KEY(`org_id`, `team_id`, `login`)
);
--> statement-breakpoint
CREATE INDEX `github_org_team_members_login_idx` ON `github_org_team_members` (`org_id`,`login`);--> statement-breakpoint
CREATE TABLE `github_org_teams` (
	`org_id` integer NOT NULL,
	`id` integer NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`description` text,
	`parent_id` integer,
	PRIMARY KEY(`org_id`, `id`)
);
--> statement-breakpoint
CREATE TABLE `github_orgs` (
	`id` integer PRIMARY KEY NOT NULL,
	`login` text NOT NULL,
	`installation_id` integer,
	`lease_owner` text,
	`lease_until` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
