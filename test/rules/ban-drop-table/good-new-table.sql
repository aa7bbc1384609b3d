CREATE TABLE import_staging (id bigint, payload jsonb);
DROP TABLE import_staging;
