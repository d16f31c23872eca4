CREATE TABLE {{tables.beta_items}} (
    id bigint PRIMARY KEY,
    name text NOT NULL,
    -- a table of module alpha, named by alpha's canonical schema
    alpha_id bigint REFERENCES {{tables.alpha.alpha_items}} (id)
);
-- a little work, so that generations overlap
SELECT pg_sleep(0.5);
