-- preflight-transaction: none
REINDEX INDEX CONCURRENTLY orders_customer_idx;
REINDEX (CONCURRENTLY, VERBOSE) TABLE orders;
REINDEX SYSTEM;
