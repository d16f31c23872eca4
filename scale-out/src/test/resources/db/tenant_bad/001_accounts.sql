CREATE TABLE {{tables.accounts}} (
    id bigserial PRIMARY KEY,
    name text NOT NULL
);
CREATE TABLE {{tables.invoices}} (
    id bigserial PRIMARY KEY,
    -- a foreign key inside the schema keeps it distributable
    account_id bigint NOT NULL REFERENCES {{tables.accounts}} (id),
    total numeric(12, 2) NOT NULL
);
