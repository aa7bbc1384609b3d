-- UPDATE users SET active = false;  (commented-out backfill)
CREATE FUNCTION log_change() RETURNS trigger LANGUAGE plpgsql AS $func$
BEGIN
  INSERT INTO logs.changes (table_name, row_id) VALUES (TG_TABLE_NAME, NEW.id);
  UPDATE counters SET n = n + 1 WHERE name = 'changes';
  RETURN NEW;
END
$func$;
CREATE TRIGGER users_log AFTER INSERT OR UPDATE OR DELETE ON users FOR EACH ROW EXECUTE FUNCTION log_change();
ALTER TABLE orders ADD CONSTRAINT orders_user_fk FOREIGN KEY (user_id) REFERENCES users (id) ON UPDATE CASCADE ON DELETE CASCADE;
COMMENT ON TABLE users IS 'DELETE FROM users is forbidden; UPDATE via the API';
