-- A delivery is updated twice after it is inserted: 'delivered' when a wait reads it, 'read' when
-- its agent acknowledges it. With full pages a quarter of those updates found no room beside the
-- row and went to another page, adding an entry to both of the table's indexes; room left on each
-- page lets them stay on it (HOT updates, no index entries).
ALTER TABLE deliveries SET (fillfactor = 70);
