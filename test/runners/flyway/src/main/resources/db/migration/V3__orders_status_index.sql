ALTER TABLE orders ADD COLUMN placed_at timestamptz;
CREATE INDEX CONCURRENTLY orders_status_idx ON orders (status);
