-- preflight-transaction: none
CREATE TABLE IF NOT EXISTS plans (id bigint PRIMARY KEY);
ALTER TABLE users ADD COLUMN IF NOT EXISTS plan_id bigint;
DROP TABLE IF EXISTS legacy_plans;
CREATE TEMP TABLE scratch (id bigint) ON COMMIT DROP;
