CREATE TABLE {{tables.orders}} (
    id       bigserial PRIMARY KEY,
    item_id  bigint NOT NULL REFERENCES {{tables.items}} (id),
    quantity int    NOT NULL CHECK (quantity > 0)
);
