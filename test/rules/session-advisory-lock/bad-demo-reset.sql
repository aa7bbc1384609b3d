-- The demo-data reset of incident 2: overlapping hourly runs truncated each other's data.
SELECT pg_advisory_lock(4242);
TRUNCATE demo_bookings, demo_guests;
INSERT INTO demo_guests SELECT * FROM demo_seed_guests;
INSERT INTO demo_bookings SELECT * FROM demo_seed_bookings;
SELECT pg_advisory_unlock(4242);
