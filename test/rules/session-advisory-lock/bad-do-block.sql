-- A DO block runs its body now: the lock it takes is a session lock like any other.
DO $reset$
BEGIN
  PERFORM pg_advisory_lock(4242);
  TRUNCATE demo_bookings;
  PERFORM pg_try_advisory_lock(7);
  EXECUTE 'SELECT pg_advisory_unlock(7)';
END $reset$;
