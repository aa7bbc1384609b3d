-- Functions are VOLATILE unless declared otherwise: next_public_id() may return a new value per row.
ALTER TABLE accounts ADD COLUMN public_id text DEFAULT app.next_public_id();
