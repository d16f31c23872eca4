CREATE TABLE {{tables.bad_items}} (id bigint PRIMARY KEY);
-- a comment before the failing statement
SELECT no_such_column FROM {{tables.bad_items}};
