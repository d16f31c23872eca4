CREATE TABLE {{tables.entries}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    account_id bigint NOT NULL REFERENCES {{tables.accounts.accounts}} (id)
);
