CREATE TABLE drafts (id bigint, body text);
ALTER TABLE drafts RENAME COLUMN body TO content;
ALTER INDEX users_email_idx RENAME TO users_email_address_idx;
