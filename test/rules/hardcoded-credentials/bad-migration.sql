CREATE ROLE reporting LOGIN PASSWORD 'r3p0rt!ng';
ALTER USER reporting WITH PASSWORD 'r3p0rt!ng-2';
CREATE EXTENSION IF NOT EXISTS dblink;
SELECT dblink_connect('legacy', 'host=10.0.4.7 dbname=ledger user=sync password=Winter2024');
CREATE USER MAPPING FOR sync SERVER legacy OPTIONS (user 'sync', password 'Winter2024');
