CREATE TABLE accounts (id bigint PRIMARY KEY, currency text NOT NULL DEFAULT 'EUR', note text DEFAULT '');
