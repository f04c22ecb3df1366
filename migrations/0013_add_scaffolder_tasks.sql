-- Software template tasks (worker/scaffolder/store.ts). A task's spec keeps the template's steps and the
-- values it runs with, secret fields replaced by "***"; secrets themselves live only in the Workflow
-- instance's parameters. Steps are one row each (status, timing, output); events are the task's log and
-- its completion, in order, for the event stream.
CREATE TABLE `scaffolder_tasks` (
  `id` text PRIMARY KEY NOT NULL,
  `template_ref` text NOT NULL,
  `spec` text NOT NULL,
  `status` text NOT NULL,
  `created_by` text,
  `created_at` text NOT NULL,
  `last_heartbeat_at` text,
  `output` text,
  `error` text
);
--> statement-breakpoint
CREATE INDEX `scaffolder_tasks_created_by` ON `scaffolder_tasks` (`created_by`, `created_at`);
--> statement-breakpoint
CREATE INDEX `scaffolder_tasks_created_at` ON `scaffolder_tasks` (`created_at`);
--> statement-breakpoint
CREATE TABLE `scaffolder_steps` (
  `task_id` text NOT NULL,
  `step_id` text NOT NULL,
  `position` integer NOT NULL,
  `name` text NOT NULL,
  `action` text NOT NULL,
  `status` text NOT NULL,
  `started_at` text,
  `ended_at` text,
  `output` text,
  `error` text,
  PRIMARY KEY (`task_id`, `step_id`)
);
--> statement-breakpoint
CREATE TABLE `scaffolder_events` (
  `id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
  `task_id` text NOT NULL,
  `type` text NOT NULL,
  `body` text NOT NULL,
  `created_at` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `scaffolder_events_task` ON `scaffolder_events` (`task_id`, `id`);
