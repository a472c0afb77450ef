CREATE TABLE `llm_cache` (
	`key` text PRIMARY KEY NOT NULL,
	`model` text NOT NULL,
	`answer` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `llm_cache_created_at_idx` ON `llm_cache` (`created_at`);