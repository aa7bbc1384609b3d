ALTER TABLE users ADD COLUMN nickname text;
COMMIT;
UPDATE users SET nickname = name;
