-- Served: the primary key, the foreign key's own index, the leading column of KEY (status, created_at),
-- a prefix index on email, and LIKE with a constant prefix, which InnoDB answers from the index range.
UPDATE orders SET status = 'shipped' WHERE id = 42;
DELETE FROM orders WHERE customer_id IN (1, 2, 3);
UPDATE orders SET status = 'late' WHERE status = 'open' AND created_at < '2024-01-01';
UPDATE orders SET status = 'closed' WHERE email = 'a@example.com';
DELETE FROM orders WHERE status LIKE 'cancel%';
SELECT id FROM orders WHERE id = 7 FOR UPDATE;
