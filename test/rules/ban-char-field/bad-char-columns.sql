CREATE TABLE countries (
  code CHAR(2) PRIMARY KEY,
  flag character,
  legacy_codes bpchar(3)[]
);
ALTER TABLE countries ADD COLUMN region char(4);
