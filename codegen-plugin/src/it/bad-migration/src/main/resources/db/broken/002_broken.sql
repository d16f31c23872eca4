CREATE TABLE {{tables.half}} (id int);

ALTER TABLE {{tables.half}} ADD COLUMN total nosuchtype;
