CREATE INDEX CONCURRENTLY "orders_customer_idx" ON "orders" USING btree ("customer_id");
