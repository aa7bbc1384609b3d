UPDATE orders SET status = 'archived' WHERE customer_id = 42 AND created_at < now() - interval '1 year';
DELETE FROM orders WHERE customer_id IN (1, 2, 3);
DELETE FROM orders WHERE customer_id = ANY ('{4,5}'::bigint[]);
DELETE FROM orders WHERE id BETWEEN 100 AND 200;
UPDATE orders SET status = 'x' WHERE customer_id IS NULL OR id = 7;
