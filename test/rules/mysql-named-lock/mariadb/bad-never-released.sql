SELECT GET_LOCK('nightly_rollup', 0);
INSERT INTO rollups (day, total) SELECT CURDATE(), COUNT(*) FROM orders;
