CREATE TABLE wallets (id bigint, balance numeric);
ALTER TABLE wallets ADD CONSTRAINT wallet_balance_positive CHECK (balance >= 0);
