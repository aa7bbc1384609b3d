ALTER TABLE "orders" ADD COLUMN "priority" integer;--> statement-breakpoint
UPDATE "orders" SET "priority" = 0 WHERE "priority" IS NULL;
