-- The index on (first_name || '.' || last_name) does not serve a filter on last_name.
DELETE FROM users WHERE last_name = 'lovelace';
