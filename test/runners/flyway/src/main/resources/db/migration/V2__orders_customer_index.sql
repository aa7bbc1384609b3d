-- Only statements Flyway's PostgreSQL parser says cannot run in a transaction: Flyway runs this one without.
CREATE INDEX CONCURRENTLY orders_customer_idx ON orders (customer_id);
