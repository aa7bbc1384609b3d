-- CreateTable
CREATE TABLE "orders" (
    "id" BIGSERIAL NOT NULL,
    "customer_id" BIGINT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'new',

    CONSTRAINT "orders_pkey" PRIMARY KEY ("id")
);
