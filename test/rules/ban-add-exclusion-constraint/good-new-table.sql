CREATE TABLE bookings (
  room_id bigint NOT NULL,
  during tstzrange NOT NULL
);
-- The table was created above: nobody can be reading it yet.
ALTER TABLE bookings ADD CONSTRAINT bookings_no_overlap EXCLUDE USING gist (room_id WITH =, during WITH &&);
CREATE TABLE reservations (slot tstzrange, EXCLUDE USING gist (slot WITH &&));
