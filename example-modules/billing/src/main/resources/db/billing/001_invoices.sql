CREATE TABLE {{tables.invoices}} (
    id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    number    text GENERATED ALWAYS AS ('INV-' || lpad(id::text, 6, '0')) STORED,
    order_id  bigint         NOT NULL UNIQUE,
    user_id   bigint         NOT NULL,
    amount    numeric(12, 2) NOT NULL,
    issued_at timestamptz    NOT NULL DEFAULT now()
);
