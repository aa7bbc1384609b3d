-- preflight-transaction: none
CREATE INDEX CONCURRENTLY orders_region_idx ON orders (region);
DROP INDEX CONCURRENTLY orders_old_region_idx;
