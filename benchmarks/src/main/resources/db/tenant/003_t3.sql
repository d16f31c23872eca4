-- Tenant migration 3 of 10.
CREATE TABLE {{tables.t3}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t3_name_idx ON {{tables.t3}} (name);
INSERT INTO {{tables.t3}} (name) VALUES ('first'), ('second');
