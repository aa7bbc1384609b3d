CREATE INDEX CONCURRENTLY orders_region_idx ON orders (region);
