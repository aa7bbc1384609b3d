-- MariaDB runs MySQL's syntax for a foreign key; node-sql-parser's MariaDB grammar alone does not read it.
ALTER TABLE orders ADD CONSTRAINT fk_orders_customer FOREIGN KEY (customer_id) REFERENCES customers (id);
UPDATE orders SET status = 'open' WHERE status IS NULL LIMIT 1000;
