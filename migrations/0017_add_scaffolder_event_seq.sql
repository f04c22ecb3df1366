-- A step's log lines are written while the step runs (worker/scaffolder/run/step-log.ts). Each line carries
-- its step and its place in that step's log, so a step that runs again after a restart re-writes nothing it
-- had already written: the unique index makes a repeated (task, step, seq) a no-op. Task-level events keep
-- both columns NULL (NULLs never collide in a unique index).
ALTER TABLE `scaffolder_events` ADD `step_id` text;
--> statement-breakpoint
ALTER TABLE `scaffolder_events` ADD `seq` integer;
--> statement-breakpoint
CREATE UNIQUE INDEX `scaffolder_events_step_seq` ON `scaffolder_events` (`task_id`, `step_id`, `seq`);
