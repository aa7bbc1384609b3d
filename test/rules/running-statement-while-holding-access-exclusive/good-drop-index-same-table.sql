-- logto's roles-and-scopes: the index dropped belongs to the table already locked; with no schema source the
-- index's table is unknown, and an index name is never taken for a table.
ALTER TABLE roles ALTER COLUMN id SET DEFAULT gen_random_uuid();
DROP INDEX roles__name;
ALTER INDEX roles__name_old RENAME TO roles__name;
