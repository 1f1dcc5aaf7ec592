-- Messages, their deliveries to each recipient's inbox, and each inbox's read cursor.

-- The last inbox position handed out in each meshwork. A send upserts the rows of its recipients'
-- meshworks, which locks them until it commits: positions of one meshwork are therefore committed
-- in the order they are handed out, so a reader that sees position n has every position below it.
CREATE TABLE inbox_positions (
    meshwork_id  uuid   PRIMARY KEY,
    last_seq     bigint NOT NULL
);

CREATE TABLE messages (
    id             uuid        PRIMARY KEY,
    meshwork_id    uuid        NOT NULL,
    meshwork_name  text        NOT NULL,
    sender         text        NOT NULL,
    -- The recipients as the sender wrote them (a name, '*', 'other/name', or a list of those).
    addressed_to   jsonb       NOT NULL,
    kind           text        NOT NULL CHECK (kind IN ('message', 'request', 'reply', 'event')),
    body           text        NOT NULL,
    data           jsonb,
    thread_id      text,
    reply_to       uuid,
    created_at     timestamptz NOT NULL DEFAULT now()
);

CREATE INDEX messages_by_meshwork ON messages (meshwork_id, created_at);

-- One row per message and recipient, at its position in the recipient's inbox.
CREATE TABLE deliveries (
    meshwork_id   uuid        NOT NULL,
    meshwork_name text        NOT NULL,
    agent         text        NOT NULL,
    seq           bigint      NOT NULL,
    message_id    uuid        NOT NULL REFERENCES messages (id),
    state         text        NOT NULL DEFAULT 'queued' CHECK (state IN ('queued', 'delivered', 'read')),
    delivered_at  timestamptz,
    read_at       timestamptz,
    PRIMARY KEY (meshwork_id, agent, seq),
    UNIQUE (message_id, meshwork_id, agent)
);

-- Everything at or below acked_seq has been acknowledged (read) by the agent.
CREATE TABLE inbox_cursors (
    meshwork_id  uuid   NOT NULL,
    agent        text   NOT NULL,
    acked_seq    bigint NOT NULL,
    PRIMARY KEY (meshwork_id, agent)
);

-- A parked wait makes its agent 'waiting' until the wait's end plus a grace period, so a wait
-- that times out and is renewed at once stays 'waiting' without a flicker.
-- waiting_since (from V2) is when the agent's current run of parked waits began.
ALTER TABLE presence ADD COLUMN waiting_until timestamptz;

DROP FUNCTION agent_status(timestamptz, timestamptz, integer, timestamptz);

-- The one definition of an agent's status: offline without a live lease; waiting while a wait is
-- parked; working after activity within idle_seconds; else idle.
CREATE FUNCTION agent_status(lease_expires_at timestamptz, last_activity_at timestamptz, waiting_until timestamptz,
                             idle_seconds integer, at timestamptz)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN lease_expires_at IS NULL OR lease_expires_at <= at THEN 'offline'
    WHEN waiting_until > at THEN 'waiting'
    WHEN last_activity_at > at - idle_seconds * interval '1 second' THEN 'working'
    ELSE 'idle'
  END
$$;
