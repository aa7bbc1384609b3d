-- preflight-transaction: none
BEGIN;
ALTER TABLE users ADD COLUMN nickname text;
BEGIN;
UPDATE users SET nickname = name;
COMMIT;
COMMIT;
