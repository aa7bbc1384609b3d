-- A small sync-based records system: patients, their encounters, a sync lookup table and an audit log
-- that a deferred constraint trigger appends to at commit time.
CREATE SCHEMA logs;

CREATE TABLE patients (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  display_id text NOT NULL,
  merged_into bigint REFERENCES patients (id),
  updated_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE encounters (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  patient_id bigint NOT NULL REFERENCES patients (id),
  started_at timestamptz NOT NULL
);
CREATE INDEX encounters_patient_id ON encounters (patient_id);

CREATE TABLE sync_lookup (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  record_id text NOT NULL,
  record_type text NOT NULL,
  updated_at_sync_tick bigint NOT NULL DEFAULT 0,
  CONSTRAINT sync_lookup_record_id_record_type_key UNIQUE (record_id, record_type)
);

CREATE TABLE logs.changes (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  table_name text NOT NULL,
  record_id text NOT NULL,
  record_deleted_at timestamptz,
  reason text,
  logged_at timestamptz NOT NULL DEFAULT now()
);

CREATE FUNCTION logs.record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO logs.changes (table_name, record_id) VALUES (TG_TABLE_NAME, NEW.id::text);
  RETURN NULL;
END
$$;

-- Deferred: the audit rows are written at commit, so pending trigger events exist until then.
CREATE CONSTRAINT TRIGGER patients_audit
  AFTER INSERT OR UPDATE ON patients
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION logs.record_change();

CREATE CONSTRAINT TRIGGER sync_lookup_audit
  AFTER INSERT OR UPDATE ON sync_lookup
  DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION logs.record_change();

-- P-0002 is a duplicate of P-0001 that was merged into it.
INSERT INTO patients (display_id, merged_into) VALUES ('P-0001', NULL), ('P-0002', 1), ('P-0003', NULL);
INSERT INTO sync_lookup (record_id, record_type) VALUES ('1', 'patient'), ('2', 'patient'), ('1', 'encounter');
