CREATE TABLE {{tables.lines}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id bigint NOT NULL REFERENCES {{tables.catalog.items}} (id),
    quantity int NOT NULL CHECK (quantity > 0)
);
