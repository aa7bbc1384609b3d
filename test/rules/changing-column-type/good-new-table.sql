CREATE TABLE metrics (id int, value int);
ALTER TABLE metrics ALTER COLUMN id TYPE bigint;
