DROP TABLE IF EXISTS audit.login_attempts;
DROP TABLE users_legacy, public.order_history CASCADE;

ALTER TABLE logs.changes DROP COLUMN ip_address;
ALTER TABLE logs.changes ALTER COLUMN changed_at TYPE date;
ALTER TABLE ONLY logs.changes ALTER COLUMN payload SET DATA TYPE jsonb USING payload::jsonb;
ALTER TABLE logs.changes
  ADD COLUMN id uuid NOT NULL DEFAULT gen_random_uuid(),
  ADD COLUMN seq bigserial,
  ADD COLUMN n integer GENERATED ALWAYS AS IDENTITY,
  ADD COLUMN day date GENERATED ALWAYS AS (changed_at::date) STORED;
ALTER TABLE logs.changes ALTER COLUMN day SET EXPRESSION AS (changed_at::date + 1);
