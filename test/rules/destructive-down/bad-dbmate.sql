-- migrate:up
CREATE TABLE visit_tags (visit_id bigint, tag text);

-- migrate:down
DROP TABLE visit_tags;
