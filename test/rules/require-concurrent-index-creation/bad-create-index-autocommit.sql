-- preflight-transaction: none
SET lock_timeout = '5s';
CREATE INDEX orders_region_idx ON orders (region);
