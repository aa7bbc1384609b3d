-- From PostgreSQL 11 these are stored once in the catalog: no rewrite.
ALTER TABLE orders ADD COLUMN status text NOT NULL DEFAULT 'new';
ALTER TABLE orders ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE orders ADD COLUMN updated_at timestamptz DEFAULT CURRENT_TIMESTAMP;
ALTER TABLE orders ADD COLUMN tags text[] NOT NULL DEFAULT '{}'::text[];
ALTER TABLE orders ADD COLUMN settings jsonb DEFAULT jsonb_build_object('v', 1);

CREATE FUNCTION app.default_region() RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT 'eu' $$;
ALTER TABLE orders ADD COLUMN region text DEFAULT app.default_region();
