-- A .sql script runs on one connection: session-advisory-lock covers it, not this rule.
SELECT pg_advisory_lock(4242);
TRUNCATE demo_bookings;
SELECT pg_advisory_unlock(4242);
