-- A second module in its own schema, referring to the first one's table.
CREATE TABLE {{tables.entries}} (
    id bigserial PRIMARY KEY,
    customer_id bigint NOT NULL REFERENCES shop.customers (id),
    amount numeric NOT NULL,
    booked date NOT NULL DEFAULT current_date
);

INSERT INTO {{tables.entries}} (customer_id, amount) VALUES (1, 10.50);
