CREATE TABLE {{tables.entries}} (
    id         bigserial PRIMARY KEY,
    account_id bigint  NOT NULL,
    amount     numeric NOT NULL,
    booked_at  timestamptz NOT NULL DEFAULT now()
);
