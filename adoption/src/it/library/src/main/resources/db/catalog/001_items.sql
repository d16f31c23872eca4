-- tag::migration[]
CREATE TABLE {{tables.items}} (
    id    bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name  text    NOT NULL UNIQUE,
    price numeric NOT NULL CHECK (price >= 0)
);
-- end::migration[]
