-- A migration runs in one transaction: the TRUNCATE's lock holds until the reload commits.
TRUNCATE currency_rates;
INSERT INTO currency_rates (code, rate) VALUES ('EUR', 1), ('USD', 1.08);
