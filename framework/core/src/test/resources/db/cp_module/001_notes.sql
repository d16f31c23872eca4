CREATE TABLE {{tables.notes}} (id serial PRIMARY KEY, body text);
