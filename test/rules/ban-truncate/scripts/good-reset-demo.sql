-- A demo-data reset script: emptying tables is its job (truncate-without-lock checks how it reloads them).
BEGIN;
TRUNCATE demo_bookings;
INSERT INTO demo_bookings SELECT * FROM demo_booking_templates;
COMMIT;
