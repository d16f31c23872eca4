-- Tenant migration 1 of 10.
CREATE TABLE {{tables.t1}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t1_name_idx ON {{tables.t1}} (name);
INSERT INTO {{tables.t1}} (name) VALUES ('first'), ('second');
