-- preflight-transaction: none
-- Run by psql in autocommit: each statement commits on its own.
TRUNCATE TABLE demo_bookings;
\copy demo_bookings FROM 'demo_bookings.csv' WITH (FORMAT csv)
INSERT INTO demo_bookings (guest_id, room) SELECT guest_id, room FROM demo_booking_templates;
