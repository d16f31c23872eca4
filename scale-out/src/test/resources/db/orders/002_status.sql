ALTER TABLE {{tables.orders}} ADD COLUMN status text NOT NULL DEFAULT 'new';
CREATE INDEX ON {{tables.orders}} (customer);
