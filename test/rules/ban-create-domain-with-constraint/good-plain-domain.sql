CREATE DOMAIN amount AS numeric(12, 2);
CREATE DOMAIN label AS text DEFAULT '' COLLATE "C";
