CREATE TABLE {{tables.fine}} (id int PRIMARY KEY);
