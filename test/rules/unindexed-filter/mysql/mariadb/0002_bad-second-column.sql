DELETE FROM links WHERE record_type = 'patient' LIMIT 1000;
