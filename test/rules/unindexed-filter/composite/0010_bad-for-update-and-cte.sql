SELECT id FROM orders WHERE status = 'pending' ORDER BY id LIMIT 500 FOR UPDATE SKIP LOCKED;
WITH moved AS (
  DELETE FROM orders WHERE status = 'void' RETURNING *
)
INSERT INTO customers (id, email) SELECT id, 'x' FROM moved;
