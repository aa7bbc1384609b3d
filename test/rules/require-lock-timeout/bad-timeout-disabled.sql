SET lock_timeout = '2s';
ALTER TABLE users ADD COLUMN plan_id bigint;
SET lock_timeout = 0;
DROP TABLE legacy_plans;
