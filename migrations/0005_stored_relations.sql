DROP INDEX `search_key_original_idx`;--> statement-breakpoint
ALTER TABLE `entities` ADD `relations_json` text DEFAULT '[]' NOT NULL;--> statement-breakpoint
ALTER TABLE `facet_counts` ADD `folded` text DEFAULT '' NOT NULL;--> statement-breakpoint
CREATE INDEX `facet_counts_folded_idx` ON `facet_counts` (`scope`,`key`,`folded`);