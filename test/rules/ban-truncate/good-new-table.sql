CREATE TABLE import_staging (id bigint);
INSERT INTO import_staging SELECT id FROM users;
TRUNCATE import_staging;
