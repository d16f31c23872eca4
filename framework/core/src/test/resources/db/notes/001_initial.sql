-- The notes module's tables. {{tables.x}} follows whatever schema the module is given.
CREATE TABLE {{tables.notes}} (
    id         bigserial PRIMARY KEY,
    author     text        NOT NULL,
    body       text        NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX notes_author_idx ON {{tables.notes}} (author);
