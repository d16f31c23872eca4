-- Tenant migration 7 of 10.
CREATE TABLE {{tables.t7}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX t7_name_idx ON {{tables.t7}} (name);
INSERT INTO {{tables.t7}} (name) VALUES ('first'), ('second');
