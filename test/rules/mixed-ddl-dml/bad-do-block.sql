-- A DO block runs its statements when the migration runs: the UPDATE inside it is a data change.
ALTER TABLE sync_lookup ADD COLUMN record_type_new text;
DO $$
BEGIN
  IF EXISTS (SELECT 1 FROM sync_lookup WHERE record_type_new IS NULL) THEN
    UPDATE sync_lookup SET record_type_new = record_type;
  END IF;
END $$;
