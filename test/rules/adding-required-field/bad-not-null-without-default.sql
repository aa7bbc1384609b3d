ALTER TABLE recipes ADD COLUMN public boolean NOT NULL;
ALTER TABLE recipes ADD COLUMN owner_id bigint PRIMARY KEY;
