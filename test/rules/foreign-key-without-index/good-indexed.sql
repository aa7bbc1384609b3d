CREATE TABLE visits (id bigint PRIMARY KEY);
CREATE TABLE visit_notes (id bigint PRIMARY KEY, visit_id bigint REFERENCES visits (id), author_id bigint, reviewer_id bigint);
CREATE INDEX visit_notes_visit_id_idx ON visit_notes (visit_id, id);
ALTER TABLE visit_notes ADD CONSTRAINT visit_notes_author_fk FOREIGN KEY (author_id) REFERENCES visits (id);
CREATE UNIQUE INDEX visit_notes_author_reviewer_key ON visit_notes (reviewer_id, author_id);
ALTER TABLE visit_notes ADD FOREIGN KEY (author_id, reviewer_id) REFERENCES visit_pairs (a, b);
-- A one-to-one table: the primary key is the foreign key.
CREATE TABLE visit_billing (visit_id bigint PRIMARY KEY REFERENCES visits (id));
