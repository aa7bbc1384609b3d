-- A test of the catalog only keeps the statement from running twice: afterwards the index exists everywhere.
DO $$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_indexes WHERE schemaname = 'logs' AND indexname = 'logs_changes_table_name_idx') THEN
    CREATE INDEX logs_changes_table_name_idx ON logs.changes (table_name, updated_at_sync_tick);
  END IF;
END
$$;
