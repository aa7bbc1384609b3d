-- The down half of a migration that added the column: it runs after the application was rolled back.
ALTER TABLE users DROP COLUMN nickname;
