WITH d AS (DELETE FROM logs.changes WHERE created_at < now() - interval '1 year' RETURNING *)
SELECT count(*) FROM d;

-- Moving entries to an archive still removes them from the audit log.
WITH moved AS (
  DELETE FROM audit.events RETURNING *
)
INSERT INTO archive.events SELECT * FROM moved;

WITH fixed AS (UPDATE account_audit SET actor = 'system' WHERE actor IS NULL RETURNING id)
INSERT INTO account_audit (id, actor, reason) SELECT id, 'system', 'actor backfilled' FROM fixed;

EXPLAIN ANALYZE DELETE FROM logs.changes WHERE id = 1;
