CREATE TABLE roles (id text PRIMARY KEY, name text);
CREATE UNIQUE INDEX roles__name ON roles (name);
CREATE TABLE scopes (id text PRIMARY KEY, name text);
CREATE INDEX scopes__name ON scopes (name);
