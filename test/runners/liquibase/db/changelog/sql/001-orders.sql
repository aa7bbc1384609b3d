--liquibase formatted sql

--changeset shop:1
CREATE TABLE orders (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  customer_id bigint NOT NULL,
  status text NOT NULL DEFAULT 'new'
);
--rollback DROP TABLE orders;

--changeset shop:2
ALTER TABLE orders ALTER COLUMN status SET DEFAULT 'open';

--changeset shop:3
UPDATE orders SET status = 'open' WHERE status = 'new';

--changeset shop:4 runInTransaction:false
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_customer_idx ON orders (customer_id);

--changeset shop:5
CREATE INDEX CONCURRENTLY IF NOT EXISTS orders_status_idx ON orders (status);

--changeset shop:6
ALTER TABLE orders ADD COLUMN priority integer;
UPDATE orders SET priority = 0 WHERE priority IS NULL;
