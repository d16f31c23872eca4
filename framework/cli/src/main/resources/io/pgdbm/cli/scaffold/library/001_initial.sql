-- @name@: initial schema. Schema-free: {{tables.items}} becomes the module's schema's table.
CREATE TABLE {{tables.items}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name text NOT NULL UNIQUE,
    created_at timestamptz NOT NULL DEFAULT now()
);
