-- Tenant migration 10 of 10.
CREATE TABLE {{tables.t10}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t10_name_idx ON {{tables.t10}} (name);
INSERT INTO {{tables.t10}} (name) VALUES ('first'), ('second');
