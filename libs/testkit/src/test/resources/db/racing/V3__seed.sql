-- Run twice, this would violate the primary key.
INSERT INTO racing_items (id, name) VALUES (1, 'once');
