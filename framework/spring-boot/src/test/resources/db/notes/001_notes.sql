CREATE TABLE {{tables.notes}} (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    title text NOT NULL UNIQUE CHECK (length(title) <= 40)
);
