CREATE DOMAIN positive_amount AS numeric CHECK (VALUE > 0);
CREATE DOMAIN email AS text NOT NULL CONSTRAINT email_has_at CHECK (VALUE LIKE '%@%');
