CREATE TABLE plans (id bigint PRIMARY KEY);
CREATE INDEX plans_id_idx ON plans (id);
ALTER TABLE users ADD COLUMN plan_id bigint;
ALTER TABLE users ADD COLUMN seats int;
