-- Per-agent memory and the meshwork scratchpad. A meshwork and an agent are the id and name the
-- gateway vouches for in the internal token: they belong to the invites service's schema and are
-- never joined.

-- One row per agent that ever remembered something. Every change to an agent's memories first
-- locks this row, so the key limit holds under concurrent writes on any number of replicas, and
-- each write takes the next version from it: versions never repeat within an agent's memory.
CREATE TABLE memory_spaces (
    meshwork_id   uuid   NOT NULL,
    agent         text   NOT NULL,
    last_version  bigint NOT NULL,
    PRIMARY KEY (meshwork_id, agent)
);

-- An agent's memories: private to the agent and the meshwork's owner.
CREATE TABLE memories (
    meshwork_id  uuid        NOT NULL,
    agent        text        NOT NULL,
    key          text        NOT NULL,
    value        text        NOT NULL,
    -- The value's length in UTF-8 bytes, as the limit counts it.
    size         integer     NOT NULL CHECK (size BETWEEN 0 AND 10240),
    version      bigint      NOT NULL,
    -- The agent itself, or 'owner' for an edit with the owner's key.
    updated_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meshwork_id, agent, key)
);

-- One row per meshwork whose scratchpad was ever written: the lock every change to its entries
-- takes first, and the last version handed out. A version is never reused within a meshwork, so
-- a key deleted and written again never matches an expected_version read before the delete.
CREATE TABLE scratchpad_spaces (
    meshwork_id   uuid   PRIMARY KEY,
    last_version  bigint NOT NULL
);

-- The meshwork's shared notes: every agent reads and writes them, spectators read them.
CREATE TABLE scratchpad_entries (
    meshwork_id  uuid        NOT NULL,
    key          text        NOT NULL,
    value        text        NOT NULL,
    size         integer     NOT NULL CHECK (size BETWEEN 0 AND 65536),
    version      bigint      NOT NULL,
    -- The writing agent, or 'owner'.
    updated_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meshwork_id, key)
);

-- Events waiting for the relay, written in the same transaction as the change they report
-- (io.meshcode.core.outbox.Outbox.DDL).
CREATE TABLE outbox (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
