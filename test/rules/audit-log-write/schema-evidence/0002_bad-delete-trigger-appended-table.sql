DELETE FROM record_events WHERE happened = 'UPDATE';
