ALTER TABLE `runs` ADD `scenario_id` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `mode` text;--> statement-breakpoint
ALTER TABLE `runs` ADD `result` text;