-- preflight-transaction: none
CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
CREATE TABLE refunds (id bigint, order_id bigint);
CREATE INDEX refunds_order_idx ON refunds (order_id);
