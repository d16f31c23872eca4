-- S1t writes: inserts land here (ids unique per run), updates change rows 1..10 000.
CREATE TABLE {{tables.writes}} (
    id         bigint      PRIMARY KEY,
    name       text        NOT NULL,
    qty        int         NOT NULL,
    created_at timestamptz NOT NULL
);
INSERT INTO {{tables.writes}}
SELECT g, 'write ' || g, g % 100, timestamptz '2024-01-01' + g * interval '1 minute'
FROM generate_series(1, 10000) g;
