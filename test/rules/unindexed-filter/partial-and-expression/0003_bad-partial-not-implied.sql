-- users_live_email_idx only holds rows WHERE deleted_at IS NULL.
UPDATE users SET email = 'x' WHERE email = 'a@example.com';
