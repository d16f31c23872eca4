CREATE TABLE {{tables.audit_entries}} (id bigint PRIMARY KEY, happened timestamptz NOT NULL DEFAULT now());
