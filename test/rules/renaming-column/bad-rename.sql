ALTER TABLE users RENAME COLUMN email TO email_address;
ALTER TABLE users RENAME nickname TO display_name;
