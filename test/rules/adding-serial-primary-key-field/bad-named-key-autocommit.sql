-- preflight-transaction: none
SET lock_timeout = '5s';
ALTER TABLE accounts ADD CONSTRAINT accounts_pkey PRIMARY KEY (id);
