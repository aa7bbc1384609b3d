-- preflight-transaction: none
CREATE TABLE plans (id bigint PRIMARY KEY);
CREATE INDEX plans_id_idx ON plans (id);
ALTER TABLE users ADD COLUMN plan_id bigint, DROP COLUMN legacy_plan;
ALTER TABLE users ADD CONSTRAINT users_plan_fk FOREIGN KEY (plan_id) REFERENCES plans (id);
DROP TABLE legacy_plans;
