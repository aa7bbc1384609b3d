CREATE TABLE audit_entries (id bigint NOT NULL);
ALTER TABLE audit_entries ADD PRIMARY KEY (id);
