CREATE TABLE users (
  id bigint PRIMARY KEY,
  email varchar(255) NOT NULL,
  first_name text,
  last_name text,
  deleted_at timestamptz
);
CREATE INDEX users_live_email_idx ON users (email) WHERE deleted_at IS NULL;
CREATE INDEX users_lower_email_idx ON users (lower(email));
CREATE INDEX users_full_name_idx ON users ((first_name || '.' || last_name));
