-- Where a message stands for its recipient follows from two cursors of the recipient's inbox
-- instead of being written into its delivery row: at or below acked_seq it is read, at or below
-- delivered_seq delivered, above both queued. A wait's read that hands over k messages moves one
-- cursor row and writes one mark, where it updated k rows; an acknowledgement the same. A
-- delivery row is written once, by the send, and never again.
--
-- This release only expands (docs/ARCHITECTURE.md, "Decision: delivery states by cursors"): the
-- old columns stay, so a replica of the release before keeps working during a rolling update; what
-- it changes in them then shows once its agent acknowledges (reads) the messages. A later release
-- drops deliveries.state, delivered_at and read_at.

-- Everything at or below delivered_seq has been handed over by a wait; acked_seq <= delivered_seq.
-- A move records where it started (acked_from, delivered_from), so the statement that made it
-- knows which positions it changed even when another moved the cursor just before it.
ALTER TABLE inbox_cursors
    ADD COLUMN delivered_seq  bigint NOT NULL DEFAULT 0,
    ADD COLUMN acked_from     bigint NOT NULL DEFAULT 0,
    ADD COLUMN delivered_from bigint NOT NULL DEFAULT 0;

-- When the cursors moved: each move of an inbox's cursor writes one mark, its kind ('d' delivered,
-- 'r' read), the position it moved to and its time. A position turned delivered (read) at the time
-- of the first mark of that kind at or above it.
CREATE TABLE inbox_marks (
    meshwork_id  uuid        NOT NULL,
    agent        text        NOT NULL,
    kind         "char"      NOT NULL CHECK (kind IN ('d', 'r')),
    upto         bigint      NOT NULL,
    at           timestamptz NOT NULL,
    PRIMARY KEY (meshwork_id, agent, kind, upto)
);

-- Every state and time of the rows written so far, carried across. A delivered position's own
-- mark keeps its exact time; a queued position below a delivered one (a peek, then a wait after
-- it) is delivered from now on, as the new reads make it (ARCHITECTURE.md).
INSERT INTO inbox_marks (meshwork_id, agent, kind, upto, at)
SELECT meshwork_id, agent, 'd', seq, delivered_at FROM deliveries WHERE delivered_at IS NOT NULL
UNION ALL
SELECT meshwork_id, agent, 'r', seq, read_at FROM deliveries WHERE read_at IS NOT NULL;

INSERT INTO inbox_cursors (meshwork_id, agent, acked_seq, delivered_seq)
SELECT meshwork_id, agent, 0, max(seq) FROM deliveries WHERE state <> 'queued' GROUP BY meshwork_id, agent
ON CONFLICT (meshwork_id, agent) DO UPDATE SET delivered_seq = excluded.delivered_seq;

UPDATE inbox_cursors SET delivered_seq = acked_seq WHERE delivered_seq < acked_seq;

-- Rows are no longer updated: new pages fill up.
ALTER TABLE deliveries SET (fillfactor = 100);
