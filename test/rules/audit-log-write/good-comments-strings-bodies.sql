-- DELETE FROM logs.changes WHERE id = 1;
/* UPDATE logs.changes SET note = 'x'; TRUNCATE audit.events; */
SELECT 'DELETE FROM logs.changes', E'UPDATE audit.events SET x = 1';
INSERT INTO notes (body) VALUES ('TRUNCATE change_log; DROP TABLE logs.changes;');

-- Trigger functions write audit tables when they run later, not now: their bodies are strings.
CREATE FUNCTION logs.prune_changes() RETURNS trigger AS $prune$
BEGIN
  DELETE FROM logs.changes WHERE changed_at < now() - interval '1 year';
  UPDATE audit.events SET archived = true;
  RETURN NULL;
END
$prune$ LANGUAGE plpgsql;

CREATE FUNCTION logs.forget(change_id bigint) RETURNS void LANGUAGE sql
BEGIN ATOMIC
  DELETE FROM logs.changes WHERE id = change_id;
END;

CREATE TRIGGER changes_immutable BEFORE UPDATE OR DELETE ON logs.changes
  FOR EACH ROW EXECUTE FUNCTION logs.reject_change();

CREATE RULE no_delete AS ON DELETE TO logs.changes DO INSTEAD NOTHING;
CREATE RULE redirect AS ON INSERT TO staging DO ALSO DELETE FROM change_log WHERE id = new.id;
CREATE VIEW recent_changes AS SELECT * FROM logs.changes WHERE changed_at > now() - interval '1 day';
PREPARE forget(bigint) AS DELETE FROM logs.changes WHERE id = $1;
EXPLAIN DELETE FROM logs.changes WHERE id = 1;
EXPLAIN (ANALYZE false) UPDATE audit.events SET x = 1;
