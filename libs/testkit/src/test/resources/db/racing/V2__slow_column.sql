-- Slow on purpose: the other replicas must find the migration under way, not finished.
SELECT pg_sleep(1.5);
ALTER TABLE racing_items ADD COLUMN created_at timestamptz NOT NULL DEFAULT now();
