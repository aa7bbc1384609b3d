UPDATE sync_lookup SET record_type = 'patient' WHERE record_type = 'Patient';
