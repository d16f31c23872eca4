CREATE TABLE {{tables.fine}} (id int);
