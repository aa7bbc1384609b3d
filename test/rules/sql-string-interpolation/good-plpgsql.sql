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
