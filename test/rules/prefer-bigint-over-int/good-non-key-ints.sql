CREATE TABLE events (
  id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  attempts integer NOT NULL DEFAULT 0,
  priority int
);
