CREATE TABLE plans (id bigint PRIMARY KEY);
ALTER TABLE plans ADD COLUMN;
UPDATE plans SET id = id WHERE id = 1;
