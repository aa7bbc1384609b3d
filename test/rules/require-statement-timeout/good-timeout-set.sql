SET statement_timeout = '1min';
ALTER TABLE users ALTER COLUMN id TYPE bigint;
