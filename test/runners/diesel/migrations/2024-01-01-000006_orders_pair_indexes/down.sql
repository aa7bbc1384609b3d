DROP INDEX CONCURRENTLY orders_priority_idx;
DROP INDEX CONCURRENTLY orders_customer_status_idx;
