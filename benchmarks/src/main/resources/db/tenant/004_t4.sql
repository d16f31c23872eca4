-- Tenant migration 4 of 10.
CREATE TABLE {{tables.t4}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t4_name_idx ON {{tables.t4}} (name);
INSERT INTO {{tables.t4}} (name) VALUES ('first'), ('second');
