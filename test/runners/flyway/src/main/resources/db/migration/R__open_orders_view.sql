CREATE OR REPLACE VIEW open_orders AS SELECT id, customer_id FROM orders WHERE status = 'open';
