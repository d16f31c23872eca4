-- Tenant migration 2 of 10.
CREATE TABLE {{tables.t2}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t2_name_idx ON {{tables.t2}} (name);
INSERT INTO {{tables.t2}} (name) VALUES ('first'), ('second');
