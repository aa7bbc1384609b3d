DELETE FROM orders WHERE created_at::date = '2024-01-01';
UPDATE customers SET email = lower(email) WHERE lower(email) = 'a@example.com';
