-- note is nullable: an INSERT without it stores NULL, as before the default existed.
ALTER TABLE accounts ALTER COLUMN note DROP DEFAULT;
ALTER TABLE accounts ALTER COLUMN currency SET DEFAULT 'USD';
