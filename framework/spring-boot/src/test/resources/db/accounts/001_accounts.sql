CREATE TABLE {{tables.accounts}} (id bigint PRIMARY KEY, owner text NOT NULL);
