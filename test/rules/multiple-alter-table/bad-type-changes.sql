ALTER TABLE public.encounters ALTER COLUMN id TYPE bigint;
ALTER TABLE encounters ALTER COLUMN patient_id TYPE bigint USING patient_id::bigint;
