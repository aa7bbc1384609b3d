UPDATE users SET deleted_at = now() WHERE email = 'a@example.com' AND deleted_at IS NULL;
DELETE FROM users WHERE lower(email) = lower('A@example.com');
DELETE FROM users WHERE first_name || '.' || last_name = 'ada.lovelace';
