-- A migration's TRUNCATE is ban-truncate's to judge, not this rule's.
TRUNCATE import_batches;
INSERT INTO import_batches (id) VALUES (1);
