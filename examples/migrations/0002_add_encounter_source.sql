-- A safe, schema-only migration.
ALTER TABLE encounters ADD COLUMN source text;
