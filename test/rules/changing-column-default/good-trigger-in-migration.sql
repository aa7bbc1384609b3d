-- The migration adds a trigger that fills tenant_id on insert, then drops the default (logto's multi-tenancy).
ALTER TABLE _logto_configs ADD COLUMN tenant_id varchar(21) NOT NULL DEFAULT 'default';
CREATE TRIGGER set_tenant_id BEFORE INSERT ON _logto_configs FOR EACH ROW EXECUTE PROCEDURE set_tenant_id();
ALTER TABLE _logto_configs ALTER COLUMN tenant_id DROP DEFAULT;
