SELECT set_config('lock_timeout', '3s', true);
ALTER TABLE users ADD COLUMN plan_id bigint;
