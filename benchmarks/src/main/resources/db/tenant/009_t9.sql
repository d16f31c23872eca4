-- Tenant migration 9 of 10.
CREATE TABLE {{tables.t9}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t9_name_idx ON {{tables.t9}} (name);
INSERT INTO {{tables.t9}} (name) VALUES ('first'), ('second');
