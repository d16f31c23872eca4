-- S1, S1t, S7: a table of 10 000 rows with six columns.
CREATE TABLE {{tables.items}} (
    id         bigint         PRIMARY KEY,
    name       text           NOT NULL,
    price      numeric(12, 2) NOT NULL,
    qty        int            NOT NULL,
    created_at timestamptz    NOT NULL,
    active     boolean        NOT NULL
);
INSERT INTO {{tables.items}}
SELECT g, 'item ' || g, (g % 1000) / 10.0, g % 100, timestamptz '2024-01-01' + g * interval '1 minute', g % 2 = 0
FROM generate_series(1, 10000) g;

-- S3: where bulk loads land.
CREATE UNLOGGED TABLE {{tables.copy_target}} (
    id         bigint,
    name       text,
    price      numeric(12, 2),
    qty        int,
    created_at timestamptz,
    active     boolean
);
