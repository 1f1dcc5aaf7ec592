-- The task board and file reservations. A meshwork and an agent are an id and a name the gateway
-- vouches for in the internal token: they belong to the invites service's schema and are never
-- joined. An assignee is any well-formed agent name.

CREATE TABLE tasks (
    id           uuid        PRIMARY KEY,
    meshwork_id  uuid        NOT NULL,
    title        text        NOT NULL CHECK (char_length(title) BETWEEN 1 AND 200),
    description  text        NOT NULL DEFAULT '' CHECK (char_length(description) <= 10000),
    status       text        NOT NULL DEFAULT 'todo'
                             CHECK (status IN ('todo', 'in_progress', 'blocked', 'review', 'done', 'cancelled')),
    priority     text        NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high', 'urgent')),
    assignee     text,
    progress     integer     NOT NULL DEFAULT 0 CHECK (progress BETWEEN 0 AND 100),
    -- The agent that created it, or 'owner' for an owner acting as no agent.
    created_by   text        NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    -- 1 at creation, one more with each change: an update naming an older one is refused.
    version      integer     NOT NULL DEFAULT 1
);

-- Ids are time-ordered, so this is the board in creation order, and a page is a range of it.
CREATE INDEX tasks_by_meshwork ON tasks (meshwork_id, id);
CREATE INDEX tasks_by_assignee ON tasks (meshwork_id, assignee, id) WHERE assignee IS NOT NULL;

-- One row per path or glob an agent holds. A row whose expires_at has passed counts for nothing;
-- the sweeper (or the next reserve or release in its meshwork) deletes it and reports it.
CREATE TABLE reservations (
    meshwork_id  uuid        NOT NULL,
    agent        text        NOT NULL,
    -- The pattern as normalized (no './', '//', '.' segments or trailing '/').
    path         text        NOT NULL,
    reason       text        NOT NULL,
    shared       boolean     NOT NULL,
    created_at   timestamptz NOT NULL DEFAULT now(),
    expires_at   timestamptz NOT NULL,
    PRIMARY KEY (meshwork_id, agent, path)
);

CREATE INDEX reservations_by_expiry ON reservations (expires_at);

-- One row per meshwork that ever had a reservation. Every reserve and release locks its
-- meshwork's row first, so overlap checks, which no index can make, take turns.
CREATE TABLE reservation_guards (
    meshwork_id  uuid PRIMARY KEY
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
