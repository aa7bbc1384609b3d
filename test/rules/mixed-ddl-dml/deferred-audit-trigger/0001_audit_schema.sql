-- Audit logging as in incident 1: every change of sync_lookup appends to logs.changes at commit time.
CREATE SCHEMA logs;
CREATE TABLE logs.changes (
  id bigserial PRIMARY KEY,
  table_name text NOT NULL,
  record_id uuid NOT NULL,
  changed_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE sync_lookup (
  id uuid PRIMARY KEY,
  record_id uuid NOT NULL,
  record_type text NOT NULL
);
CREATE TABLE facilities (id uuid PRIMARY KEY, name text NOT NULL);

CREATE FUNCTION logs.log_change() RETURNS trigger LANGUAGE plpgsql AS $func$
BEGIN
  INSERT INTO logs.changes (table_name, record_id) VALUES (TG_TABLE_NAME, COALESCE(NEW.id, OLD.id));
  RETURN NULL;
END
$func$;

CREATE CONSTRAINT TRIGGER sync_lookup_audit
  AFTER INSERT OR UPDATE OR DELETE ON sync_lookup
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION logs.log_change();
