-- The tasks service's schema. Only this service reads or writes it.
COMMENT ON SCHEMA tasks IS 'MeshCode tasks service: the task board and file reservations';
