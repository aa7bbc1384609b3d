SELECT GET_LOCK('demo_reset', 10);
DELETE FROM `demo_bookings` WHERE `demo` = 1;
INSERT INTO `demo_bookings` SELECT * FROM `demo_seed`;
SELECT RELEASE_LOCK('demo_reset');
SELECT GET_LOCK(CONCAT('tenant_', 42), 5), IS_FREE_LOCK('other');
SELECT RELEASE_ALL_LOCKS();
