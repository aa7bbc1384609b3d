-- Transaction-level locks are released at COMMIT or ROLLBACK: they cannot leak.
BEGIN;
SELECT pg_advisory_xact_lock(4242);
SELECT pg_try_advisory_xact_lock(1, 2);
SELECT pg_advisory_xact_lock_shared(7);
TRUNCATE demo_bookings;
COMMIT;

-- SELECT pg_advisory_lock(1);
/* SELECT pg_advisory_lock(2); */
SELECT 'pg_advisory_lock(3)', $note$ SELECT pg_advisory_lock(4) $note$;

-- Function bodies run later, when called: they are part of a CREATE FUNCTION statement.
CREATE FUNCTION take_reset_lock() RETURNS void AS $fn$
BEGIN
  PERFORM pg_advisory_lock(4242);
END
$fn$ LANGUAGE plpgsql;
CREATE FUNCTION try_reset_lock() RETURNS boolean LANGUAGE sql
BEGIN ATOMIC
  SELECT pg_try_advisory_lock(4242);
END;
CREATE VIEW lock_view AS SELECT pg_advisory_lock(5);
PREPARE take_lock AS SELECT pg_advisory_lock(6);
EXPLAIN SELECT pg_advisory_lock(7);
CREATE TABLE lock_defaults (taken boolean DEFAULT pg_try_advisory_lock(8));
