-- preflight-transaction: none
DROP INDEX CONCURRENTLY IF EXISTS orders_customer_idx;
CREATE INDEX CONCURRENTLY orders_tmp_idx ON orders (region);
DROP INDEX orders_tmp_idx;
