-- The demo booking app: no two bookings of a room may overlap.
CREATE EXTENSION IF NOT EXISTS btree_gist;
SET lock_timeout = '2s';
ALTER TABLE bookings
  ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);
