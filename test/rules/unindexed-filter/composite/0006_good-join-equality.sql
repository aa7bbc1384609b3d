-- The join condition o.customer_id = c.id can use the orders index for each customer found.
UPDATE orders o SET status = 'closed' FROM customers c WHERE o.customer_id = c.id AND c.email = 'a@example.com';
DELETE FROM orders USING customers WHERE orders.customer_id = customers.id AND customers.email LIKE '%@spam.example';
