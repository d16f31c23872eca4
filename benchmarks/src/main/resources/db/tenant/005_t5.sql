-- Tenant migration 5 of 10.
CREATE TABLE {{tables.t5}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t5_name_idx ON {{tables.t5}} (name);
INSERT INTO {{tables.t5}} (name) VALUES ('first'), ('second');
