ALTER TABLE public.devices ADD CONSTRAINT devices_one_per_user EXCLUDE (user_id WITH =, platform WITH =) WHERE (active);
