-- Dynamic SQL in a migration's DO block and in a function: names and values pasted unquoted.
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'sync' LOOP
    EXECUTE 'ALTER TABLE sync.' || r.tablename || ' ADD COLUMN updated_at_sync_tick bigint';
    EXECUTE format('DROP TRIGGER IF EXISTS notify_%s ON sync.%s', r.tablename, r.tablename);
  END LOOP;
END $$;

CREATE FUNCTION purge_tenant(tenant text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE 'DELETE FROM sessions WHERE tenant = ''' || tenant || '''';
  EXECUTE concat('DELETE FROM tokens WHERE tenant = ', $1);
END $$;
