ALTER TABLE recipes ADD COLUMN public boolean NOT NULL DEFAULT false;
ALTER TABLE recipes ADD COLUMN slug text;
ALTER TABLE recipes ADD COLUMN seq bigint NOT NULL GENERATED ALWAYS AS IDENTITY;
ALTER TABLE recipes ADD COLUMN row_no bigserial NOT NULL;

CREATE TABLE ratings (id bigint);
ALTER TABLE ratings ADD COLUMN score int NOT NULL;
