-- Every type the typed API must carry faithfully.
CREATE TYPE {{schema}}.item_status AS ENUM ('draft', 'active', 'retired');

CREATE TABLE {{tables.items}} (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    uid         uuid        NOT NULL DEFAULT gen_random_uuid(),
    name        text        NOT NULL,
    status      {{schema}}.item_status NOT NULL DEFAULT 'draft',
    attributes  jsonb       NOT NULL DEFAULT '{}',
    tags        text[]      NOT NULL DEFAULT '{}',
    price       numeric(12, 2) NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now(),
    thumbnail   bytea,
    name_length int GENERATED ALWAYS AS (length(name)) STORED
);
