-- preflight-transaction: none
-- SET LOCAL outside a transaction block only warns: it protects nothing.
SET LOCAL lock_timeout = '2s';
ALTER TABLE users ADD COLUMN plan_id bigint;
