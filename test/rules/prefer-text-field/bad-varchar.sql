CREATE TABLE users (email varchar(255) NOT NULL, nicknames character varying(40)[]);
ALTER TABLE users ALTER COLUMN email TYPE varchar(320);
