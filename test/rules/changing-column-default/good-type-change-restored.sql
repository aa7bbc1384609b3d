-- Dropped to change the type and set again in the same transaction: no INSERT sees the column without a default.
ALTER TABLE local_site ADD COLUMN default_sort text NOT NULL DEFAULT 'Active';
ALTER TABLE local_site ALTER COLUMN default_sort DROP DEFAULT;
ALTER TABLE local_site ALTER COLUMN default_sort TYPE varchar(20);
ALTER TABLE local_site ALTER COLUMN default_sort SET DEFAULT 'Active';

