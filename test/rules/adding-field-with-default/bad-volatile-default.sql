-- A random reference per existing row: PostgreSQL evaluates the default once per row and rewrites the table.
ALTER TABLE orders ADD COLUMN reference uuid DEFAULT gen_random_uuid();
ALTER TABLE orders ADD COLUMN token text NOT NULL DEFAULT md5(random()::text);
