CREATE TYPE {{schema}}.order_status AS ENUM ('placed', 'invoiced', 'cancelled');

-- user_id refers to the users module, wherever it lives: checked through its API, not a foreign key.
CREATE TABLE {{tables.orders}} (
    id          bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    user_id     bigint         NOT NULL,
    description text           NOT NULL,
    amount      numeric(12, 2) NOT NULL CHECK (amount > 0),
    status      {{schema}}.order_status NOT NULL DEFAULT 'placed',
    placed_at   timestamptz    NOT NULL DEFAULT now()
);
CREATE INDEX orders_user_idx ON {{tables.orders}} (user_id);
