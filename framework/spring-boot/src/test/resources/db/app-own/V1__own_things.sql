CREATE TABLE own_things (id int PRIMARY KEY);
