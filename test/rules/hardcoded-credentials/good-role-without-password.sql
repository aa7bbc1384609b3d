CREATE ROLE reporting NOLOGIN;
ALTER ROLE reporting PASSWORD NULL;
CREATE ROLE app LOGIN PASSWORD :'app_password';
INSERT INTO identity_credential_types (id, name) SELECT '78c1b41d', 'password' WHERE NOT EXISTS (SELECT 1 FROM identity_credential_types WHERE name = 'password');
