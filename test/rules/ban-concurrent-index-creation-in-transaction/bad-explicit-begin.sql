-- preflight-transaction: none
BEGIN;
DROP INDEX CONCURRENTLY orders_region_idx;
REINDEX INDEX CONCURRENTLY orders_customer_idx;
COMMIT;
