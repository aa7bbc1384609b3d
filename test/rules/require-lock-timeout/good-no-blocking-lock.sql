CREATE TABLE plans (id bigint PRIMARY KEY);
ALTER TABLE plans ADD COLUMN name text;
ALTER TABLE users VALIDATE CONSTRAINT users_plan_fk;
