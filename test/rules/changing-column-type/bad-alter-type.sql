ALTER TABLE events ALTER COLUMN id TYPE bigint;
ALTER TABLE events ALTER COLUMN payload SET DATA TYPE jsonb USING payload::jsonb;
