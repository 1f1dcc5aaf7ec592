CREATE TABLE racing_items (id bigint PRIMARY KEY, name text NOT NULL);
