CREATE TABLE sync_batches (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  manifest pg_catalog.json NOT NULL,
  summary jsonb
);
ALTER TABLE sync_batches ALTER COLUMN summary TYPE json USING summary::json;
