CREATE TABLE comment (id bigint PRIMARY KEY, ap_id text NOT NULL DEFAULT 'http://fake.com');
