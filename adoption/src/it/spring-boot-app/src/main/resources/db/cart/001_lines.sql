-- item_id names a catalog item; the catalog module owns that table
CREATE TABLE {{tables.lines}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    item_id bigint NOT NULL,
    quantity int NOT NULL CHECK (quantity > 0)
);
