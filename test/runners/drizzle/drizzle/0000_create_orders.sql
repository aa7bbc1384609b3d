CREATE TABLE "orders" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY,
	"customer_id" bigint NOT NULL,
	"status" text DEFAULT 'new' NOT NULL
);
