-- Tenant migration 8 of 10.
CREATE TABLE {{tables.t8}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t8_name_idx ON {{tables.t8}} (name);
INSERT INTO {{tables.t8}} (name) VALUES ('first'), ('second');
