CREATE TABLE {{tables.notes}} (
    id     bigserial PRIMARY KEY,
    author text NOT NULL,
    body   text NOT NULL
);
