BEGIN;
SELECT pg_advisory_xact_lock(4242);
TRUNCATE demo_bookings;
COMMIT;
-- The transaction-level lock ended at COMMIT: the reload is unprotected.
INSERT INTO demo_bookings SELECT * FROM demo_booking_templates;
