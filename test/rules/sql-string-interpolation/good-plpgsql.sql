DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'sync' LOOP
    EXECUTE format('ALTER TABLE sync.%I ADD COLUMN updated_at_sync_tick bigint', r.tablename);
    EXECUTE 'DROP TRIGGER IF EXISTS notify ON sync.' || quote_ident(r.tablename);
    EXECUTE 'DELETE FROM sync.' || quote_ident(r.tablename) || ' WHERE tenant = $1' USING 'demo';
  END LOOP;
  EXECUTE 'ANALYZE sync_lookup';
END $$;

-- diesel's helper: a regclass prints as a quoted name; a whole stored statement is not built here.
CREATE OR REPLACE FUNCTION diesel_manage_updated_at (_tbl regclass) RETURNS VOID AS $$
BEGIN
    EXECUTE format('CREATE TRIGGER set_updated_at BEFORE UPDATE ON %s FOR EACH ROW EXECUTE PROCEDURE diesel_set_updated_at()', _tbl);
END;
$$ LANGUAGE plpgsql;
DO $$
DECLARE v_curr record;
BEGIN
  FOR v_curr IN SELECT ddl_to_run FROM utils.deps_saved_ddl LOOP
    EXECUTE v_curr.ddl_to_run;
  END LOOP;
END $$;
