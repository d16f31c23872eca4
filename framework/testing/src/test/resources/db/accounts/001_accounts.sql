CREATE TABLE {{tables.accounts}} (
    id      bigserial PRIMARY KEY,
    owner   text    NOT NULL UNIQUE,
    balance numeric NOT NULL DEFAULT 0 CHECK (balance >= 0)
);
