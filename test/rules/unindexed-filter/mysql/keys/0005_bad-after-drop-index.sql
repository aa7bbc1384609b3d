-- The index on (status, created_at) was dropped by 0004.
UPDATE orders SET status = 'late' WHERE status = 'open';
