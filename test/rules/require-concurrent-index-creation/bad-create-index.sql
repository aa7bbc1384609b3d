CREATE INDEX orders_customer_idx ON orders (customer_id);
CREATE UNIQUE INDEX IF NOT EXISTS orders_number_key
  ON billing.orders USING btree (number);
