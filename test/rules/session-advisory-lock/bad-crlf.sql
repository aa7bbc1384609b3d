-- Windows line endings
SELECT
  pg_advisory_lock(
    7
  );
TRUNCATE demo_bookings;
