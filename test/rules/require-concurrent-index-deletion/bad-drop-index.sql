-- preflight-transaction: none
DROP INDEX orders_customer_idx;
DROP INDEX IF EXISTS billing.orders_number_key, orders_region_idx CASCADE;
