CREATE TABLE events (
  id serial,
  account_id integer REFERENCES accounts (id),
  "ownerId" INT4,
  sequence_no int,
  PRIMARY KEY (sequence_no)
);
ALTER TABLE events ADD COLUMN parent_event_id int;
