UPDATE orders SET status = 'late' WHERE created_at < '2024-01-01';
DELETE FROM orders WHERE DATE(created_at) = '2024-01-01';
SELECT id FROM orders WHERE email LIKE '%@example.com' FOR UPDATE;
