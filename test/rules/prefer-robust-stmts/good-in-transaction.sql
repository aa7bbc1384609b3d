CREATE TABLE plans (id bigint PRIMARY KEY);
ALTER TABLE users ADD COLUMN plan_id bigint;
DROP TABLE legacy_plans;
