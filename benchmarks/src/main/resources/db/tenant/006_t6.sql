-- Tenant migration 6 of 10.
CREATE TABLE {{tables.t6}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t6_name_idx ON {{tables.t6}} (name);
INSERT INTO {{tables.t6}} (name) VALUES ('first'), ('second');
