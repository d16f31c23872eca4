CREATE TABLE {{tables.alpha_items}} (id bigint PRIMARY KEY, name text NOT NULL);
-- a little work, so that generations overlap
SELECT pg_sleep(0.5);
