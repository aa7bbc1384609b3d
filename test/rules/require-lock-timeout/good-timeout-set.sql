SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN plan_id bigint;
DROP INDEX users_plan_idx;
