CREATE TABLE {{tables.notes}} (
    id   bigserial PRIMARY KEY,
    body text NOT NULL
);
