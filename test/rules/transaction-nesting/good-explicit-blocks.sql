-- preflight-transaction: none
BEGIN;
ALTER TABLE users ADD COLUMN nickname text;
SAVEPOINT backfill;
UPDATE users SET nickname = name;
RELEASE SAVEPOINT backfill;
COMMIT;
