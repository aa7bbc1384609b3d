INSERT INTO settings (name, value) VALUES ('motd', 'It\'s up;
SELECT 1;
