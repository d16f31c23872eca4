-- Needs the users module migrated first: it reads the users module's table.
CREATE TABLE {{tables.orders}} (id bigserial PRIMARY KEY, user_id bigint NOT NULL, note text);
INSERT INTO {{tables.orders}} (user_id, note) SELECT id, 'welcome' FROM {{tables.users.users}};
