CREATE TABLE probe_rows (id bigint PRIMARY KEY);
