CREATE TABLE accounts (id bigserial PRIMARY KEY, legacy_no SERIAL);
ALTER TABLE accounts ADD COLUMN import_no smallserial;
