BEGIN;
TRUNCATE demo_bookings;
INSERT INTO demo_bookings SELECT * FROM demo_booking_templates;
COMMIT;
