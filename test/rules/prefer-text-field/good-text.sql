CREATE TABLE users (
  email text NOT NULL CONSTRAINT email_length CHECK (length(email) <= 320),
  nickname varchar
);
