-- A demo table belongs to the job that refills it, wherever the job lives.
BEGIN;
TRUNCATE demo_bookings;
INSERT INTO demo_bookings SELECT * FROM demo_booking_templates;
COMMIT;
