-- The dashboard's needs (issue 18): messages the owner sends as a person, and reading the log
-- backwards by type.

-- A message the meshwork's owner sent from the dashboard has the sender '@owner' (no agent name
-- can be that) and the owner's account name here, as the gateway vouched for it; null otherwise.
ALTER TABLE messages ADD COLUMN from_person text;

-- The chat history reads one meshwork's entries of a few types, newest first, a page at a time
-- (ReplayLogRepository.QUERY_TYPED_BACK): along this index, one type's entries come in seq order
-- without reading the meshwork's other entries (tool calls and status changes outnumber messages).
-- Its cost is one index entry per logged entry.
CREATE INDEX event_log_by_type ON event_log (meshwork_id, type, seq);
