-- Agent sessions and presence. A meshwork and an agent are ids and names the gateway vouches for
-- in the internal token: they belong to the invites service's schema and are never joined.

-- One row per agent that ever opened a session: its live lease, its activity, and the status last
-- reported on mesh.events. Every change to an agent's sessions first locks this row, so opens,
-- heartbeats and closes of one agent run one after the other on every replica.
CREATE TABLE presence (
    meshwork_id        uuid        NOT NULL,
    agent              text        NOT NULL,
    -- The session that holds the lease, and until when; null once it is closed.
    session_id         uuid,
    lease_expires_at   timestamptz,
    client             text,
    session_opened_at  timestamptz,
    last_seen_at       timestamptz,
    last_activity_at   timestamptz,
    -- Set while a wait is parked, once the wait loop exists; nothing writes it yet.
    waiting_since      timestamptz,
    reported_status    text        NOT NULL DEFAULT 'offline',
    reported_at        timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meshwork_id, agent)
);

-- Every session an MCP server opened. A session not ended is the one presence names; its lease
-- may still have run out (then it ends as 'expired' when the agent opens its next one).
CREATE TABLE sessions (
    id           uuid        PRIMARY KEY,
    meshwork_id  uuid        NOT NULL,
    agent        text        NOT NULL,
    client       text,
    opened_at    timestamptz NOT NULL DEFAULT now(),
    ended_at     timestamptz,
    end_reason   text        CHECK (end_reason IN ('closed', 'taken_over', 'expired')),
    CHECK ((ended_at IS NULL) = (end_reason IS NULL))
);

-- At most one session per agent not ended, whatever the locking above does.
CREATE UNIQUE INDEX sessions_one_open_per_agent ON sessions (meshwork_id, agent) WHERE ended_at IS NULL;

-- The one definition of an agent's status, used by requests, the sweeper and the presence list:
-- offline without a live lease, working after activity within idle_seconds, else idle.
CREATE FUNCTION agent_status(lease_expires_at timestamptz, last_activity_at timestamptz, idle_seconds integer, at timestamptz)
RETURNS text
LANGUAGE sql STABLE PARALLEL SAFE
AS $$
  SELECT CASE
    WHEN lease_expires_at IS NULL OR lease_expires_at <= at THEN 'offline'
    WHEN last_activity_at > at - idle_seconds * interval '1 second' THEN 'working'
    ELSE 'idle'
  END
$$;

-- Events waiting for the relay, written in the same transaction as the change they report
-- (io.meshcode.core.outbox.Outbox.DDL).
CREATE TABLE outbox (
    id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    topic       text        NOT NULL,
    record_key  text        NOT NULL,
    payload     text        NOT NULL,
    created_at  timestamptz NOT NULL DEFAULT now()
);
