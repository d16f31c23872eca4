-- tag::migration[]
CREATE TYPE {{schema}}.stock_state AS ENUM ('in_stock', 'backordered', 'discontinued');

CREATE TABLE {{tables.products}} (
    id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    sku        text        NOT NULL UNIQUE,
    state      {{schema}}.stock_state NOT NULL DEFAULT 'in_stock',
    details    jsonb       NOT NULL DEFAULT '{}',
    price      numeric(10, 2) NOT NULL,
    added_at   timestamptz NOT NULL DEFAULT now()
);
-- end::migration[]
