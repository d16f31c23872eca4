CREATE TABLE {{tables.half}} (id int);
ALTER TABLE {{tables.half}} ADD COLUMN x no_such_type;
