CREATE TABLE visits (id bigint PRIMARY KEY);
-- Deleting a visit scans visit_notes for notes that reference it.
CREATE TABLE visit_notes (
  id bigint PRIMARY KEY,
  visit_id bigint NOT NULL REFERENCES visits (id) ON DELETE CASCADE,
  author_id bigint,
  CONSTRAINT visit_notes_author_fk FOREIGN KEY (author_id) REFERENCES visits (id)
);
CREATE INDEX visit_notes_author_id_created_idx ON visit_notes (id, author_id);
