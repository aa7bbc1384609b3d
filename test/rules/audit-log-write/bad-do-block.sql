-- The dedupe migration's audit cleanup, wrapped in a DO block: it still deletes audit entries when it runs.
DO $dedupe$
DECLARE removed int;
BEGIN
  DELETE FROM logs.changes
   WHERE record_id IN (SELECT id FROM duplicate_links);
  GET DIAGNOSTICS removed = ROW_COUNT;
  EXECUTE 'UPDATE logs.changes SET reason = ''dedupe'' WHERE reason IS NULL';
END $dedupe$;
