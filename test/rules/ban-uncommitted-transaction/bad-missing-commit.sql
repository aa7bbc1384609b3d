-- preflight-transaction: none
BEGIN;
CREATE TABLE plans (id bigint PRIMARY KEY);
INSERT INTO plans VALUES (1);
