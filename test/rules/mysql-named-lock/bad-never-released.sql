-- Incident 2's demo-data reset on MySQL: the lock is taken, and never given back.
SELECT GET_LOCK('demo_reset', 10);
DELETE FROM `demo_bookings` WHERE `demo` = 1;
INSERT INTO `demo_bookings` SELECT * FROM `demo_seed`;
