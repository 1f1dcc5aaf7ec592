-- The bus service's schema. Only this service reads or writes it.
COMMENT ON SCHEMA bus IS 'MeshCode bus service: messages, per-recipient deliveries and cursors, acks, agent sessions, presence and the replay event log';
