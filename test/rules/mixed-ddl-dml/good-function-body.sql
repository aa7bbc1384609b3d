-- A function body runs when the function is called, not when the migration runs.
ALTER TABLE sync_lookup ADD COLUMN touched_at timestamptz;
CREATE FUNCTION touch_sync_lookup() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE sync_lookup SET touched_at = now() WHERE record_id = NEW.id;
  RETURN NEW;
END $$;
