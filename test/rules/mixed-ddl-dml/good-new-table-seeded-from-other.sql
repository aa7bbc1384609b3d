-- Filling a new table from an existing one, then changing the existing one, is still a seed of the new table.
CREATE TABLE public.plan_limits (plan_id bigint, max_visits int);
INSERT INTO plan_limits (plan_id, max_visits) SELECT id, max_visits FROM plans;
ALTER TABLE plans DROP COLUMN max_visits;
