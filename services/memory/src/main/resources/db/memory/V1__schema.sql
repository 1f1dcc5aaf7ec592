-- The memory service's schema. Only this service reads or writes it.
COMMENT ON SCHEMA memory IS 'MeshCode memory service: per-agent memory and the meshwork scratchpad';
