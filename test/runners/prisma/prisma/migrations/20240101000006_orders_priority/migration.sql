-- AlterTable
ALTER TABLE "orders" ADD COLUMN "priority" INTEGER;

UPDATE "orders" SET "priority" = 0 WHERE "priority" IS NULL;
