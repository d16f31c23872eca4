CREATE TABLE {{tables.users}} (id bigserial PRIMARY KEY, email text NOT NULL UNIQUE);
INSERT INTO {{tables.users}} (email) VALUES ('seed@example.com');
