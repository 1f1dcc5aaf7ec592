CREATE INDEX racing_items_name ON racing_items (name);
