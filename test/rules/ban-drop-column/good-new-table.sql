CREATE TABLE imports (id bigint, scratch text);
ALTER TABLE imports DROP COLUMN scratch;
