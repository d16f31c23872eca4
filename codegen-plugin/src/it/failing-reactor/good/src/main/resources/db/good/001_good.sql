CREATE TABLE {{tables.good_items}} (id bigint PRIMARY KEY);
SELECT pg_sleep(1);
