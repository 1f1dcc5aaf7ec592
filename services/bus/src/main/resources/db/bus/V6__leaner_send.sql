-- A send writes fewer index entries (docs/PERFORMANCE.md: each one is a share of the send's cost,
-- and nothing read these).

-- No statement reads messages by meshwork and time.
DROP INDEX messages_by_meshwork;

-- The log's query reads one meshwork's entries in seq order, along the primary key, and filters
-- them by agent (sender or recipient) and time there: an index on the agent alone cannot find the
-- entries sent to it, and a prepared statement's generic plan uses neither.
DROP INDEX event_log_by_agent;
DROP INDEX event_log_by_time;

-- A message's deliveries are found at the positions its log entry in the sender's meshwork names
-- (MessageRepository.DELIVERIES), not by message id; and only the send's statement writes them,
-- after the message it inserts in the same statement.
ALTER TABLE deliveries
    DROP CONSTRAINT deliveries_message_id_meshwork_id_agent_key,
    DROP CONSTRAINT deliveries_message_id_fkey;
