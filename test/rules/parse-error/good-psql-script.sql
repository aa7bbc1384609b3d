\set ON_ERROR_STOP on
\connect app
SET search_path = public;
COPY plans (id, name) FROM stdin;
1	basic
2	pro; with semicolon
\.
SELECT setval('plans_id_seq', :max_id);
SELECT * FROM plans WHERE name = :'plan_name';
CREATE INDEX CONCURRENTLY IF NOT EXISTS plans_name ON plans (name);
DO $$ BEGIN RAISE NOTICE 'done'; END $$;
DROP TRIGGER IF EXISTS t ON plans;
CREATE OR REPLACE FUNCTION f() RETURNS int LANGUAGE sql AS $fn$ SELECT 1 $fn$;
