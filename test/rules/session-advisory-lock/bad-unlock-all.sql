-- pg_advisory_unlock_all() releases every session-level lock this session holds.
SELECT pg_advisory_lock(1), pg_try_advisory_lock_shared(2);
SELECT pg_advisory_lock(hashtext('demo-reset'));
TRUNCATE demo_bookings;
SELECT pg_advisory_unlock_all();
