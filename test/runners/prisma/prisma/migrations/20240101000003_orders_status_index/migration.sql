-- AlterTable
ALTER TABLE "orders" ADD COLUMN "placed_at" TIMESTAMP(3);

-- CreateIndex
CREATE INDEX CONCURRENTLY "orders_status_idx" ON "orders"("status");
