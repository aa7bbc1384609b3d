ALTER TABLE roles ALTER COLUMN id SET DEFAULT gen_random_uuid();
-- roles__name is on roles (already locked): fine. scopes__name is on scopes: this waits for scopes' lock.
DROP INDEX roles__name;
DROP INDEX scopes__name;
