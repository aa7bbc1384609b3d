CREATE TABLE handles (handle text);
ALTER TABLE handles ADD CONSTRAINT handles_handle_key UNIQUE (handle);
