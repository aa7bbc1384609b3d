-- The index is built on central servers only.
DO $$
BEGIN
  IF current_setting('app.server_type') = 'central' THEN
    CREATE INDEX logs_changes_table_name_idx ON logs.changes (table_name, updated_at_sync_tick);
  END IF;
END
$$;
