CREATE TABLE links (id INT NOT NULL AUTO_INCREMENT, record_id INT NOT NULL, record_type VARCHAR(32) NOT NULL, PRIMARY KEY (id));
ALTER TABLE links ADD CONSTRAINT links_record UNIQUE KEY (record_id, record_type);
