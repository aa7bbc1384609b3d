-- preflight-transaction: none
BEGIN;
CREATE TABLE plans (id bigint PRIMARY KEY);
COMMIT;
BEGIN;
INSERT INTO plans VALUES (1);
ROLLBACK;
