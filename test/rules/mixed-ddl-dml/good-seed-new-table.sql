CREATE TABLE visit_types (id bigint PRIMARY KEY, name text NOT NULL);
INSERT INTO visit_types (id, name) VALUES (1, 'clinic'), (2, 'home');
CREATE INDEX visit_types_name ON visit_types (name);
