-- preflight-transaction: none
REINDEX INDEX orders_customer_idx;
REINDEX (VERBOSE) TABLE orders;
