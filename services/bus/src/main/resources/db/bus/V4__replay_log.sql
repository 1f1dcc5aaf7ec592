-- The replay log: every event on mesh.events and every message on mesh.messages, stored per
-- meshwork with a sequence number the dashboard replays and a WebSocket stream resumes from.
-- Only ReplayLogConsumer writes it. (V3 is left to the messages' migration.)

-- One entry of one meshwork's log. A message sent across linked meshworks has an entry in each
-- meshwork it touches, under the same id.
CREATE TABLE event_log (
    meshwork_id  uuid        NOT NULL,
    -- 1, 2, 3… per meshwork, without gaps, in the order the entries were committed.
    seq          bigint      NOT NULL,
    -- The envelope's id: a redelivered record finds its entry already there.
    id           text        NOT NULL,
    type         text        NOT NULL,
    -- The agent the event is about or the message's sender; null for the meshwork itself.
    agent        text,
    -- When it happened, by the service that reported it.
    time         timestamptz NOT NULL,
    payload      jsonb       NOT NULL,
    -- For a message: the agents of this meshwork it was sent to; null for an event.
    recipients   text[],
    logged_at    timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (meshwork_id, seq),
    UNIQUE (meshwork_id, id)
);

-- One agent's entries in seq order. (Entries sent to an agent are found along the primary key:
-- a meshwork's log is read in seq order anyway.)
CREATE INDEX event_log_by_agent ON event_log (meshwork_id, agent, seq);
-- A time range of a meshwork.
CREATE INDEX event_log_by_time ON event_log (meshwork_id, time);

-- The last seq given out in each meshwork. A writer takes the row's lock (an upsert) before it
-- looks for duplicates and numbers its entries, and keeps it until it commits: writers of one
-- meshwork take turns, so seq never skips and follows commit order.
CREATE TABLE event_log_seq (
    meshwork_id  uuid   PRIMARY KEY,
    last_seq     bigint NOT NULL
);
