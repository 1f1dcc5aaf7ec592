-- A page of the board filtered by status (the CLI's board reads the tasks in progress) goes by
-- this index: most of a long-lived board is done, and such a page must not read through all of it.
CREATE INDEX tasks_by_status ON tasks (meshwork_id, status, id);
