-- What an agent slot's removal and a meshwork's deletion purge (BusPurge).

-- Meshworks deleted: the replay log stores nothing more for them (a service may still report an
-- event about one after its deletion was logged), and their ids are never used again.
CREATE TABLE deleted_meshworks (
    meshwork_id  uuid        PRIMARY KEY,
    deleted_at   timestamptz NOT NULL
);

-- A removed agent's sessions, and a deleted meshwork's, are found by meshwork.
CREATE INDEX sessions_by_agent ON sessions (meshwork_id, agent);
