CREATE TABLE renewal_reminder_attempts (id bigint, attempt_count int);
