-- A link table keyed by the record it points to; no primary key, one unique index.
CREATE TABLE sync_lookup (
  id uuid NOT NULL,
  record_id uuid NOT NULL,
  record_type text NOT NULL,
  updated_at timestamptz NOT NULL DEFAULT now()
);
ALTER TABLE sync_lookup ADD CONSTRAINT sync_lookup_record_id_record_type_key UNIQUE (record_id, record_type);
