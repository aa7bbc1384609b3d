DELETE FROM orders WHERE customer_id NOT IN (1, 2, 3);
UPDATE orders SET status = 'x' WHERE customer_id <> 42;
DELETE FROM orders WHERE status = 'void' OR customer_id = 1;
