CREATE TABLE sync_batches (manifest jsonb NOT NULL, raw_request text);
ALTER TABLE sync_batches ADD COLUMN notes jsonb;
-- A json value that is not a column type is fine.
SELECT '{"a": 1}'::json ->> 'a';
CREATE FUNCTION to_payload(r record) RETURNS json LANGUAGE sql AS $$ SELECT row_to_json(r) $$;
