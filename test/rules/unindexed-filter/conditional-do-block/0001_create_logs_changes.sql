CREATE SCHEMA logs;
CREATE TABLE logs.changes (
  id uuid PRIMARY KEY,
  table_name text NOT NULL,
  record_id text NOT NULL,
  updated_at_sync_tick bigint NOT NULL
);
