CREATE TABLE accounts_next (id bigint);
ALTER TABLE accounts_next RENAME TO accounts_v2;
