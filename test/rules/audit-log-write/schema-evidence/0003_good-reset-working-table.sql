DELETE FROM visit_counters WHERE visits = 0;
