-- The wait's read and acknowledgement as the bus ran it on schema V10 (MessageRepository.TAKE
-- at e9b345b, rendered), kept verbatim so DeliveryStatesMigrationTest writes delivery states and
-- cursors exactly as that version did. Parameters as then: $1 meshwork, $2 agent, $3 after,
-- $4 limit, $5 waiting-for seconds, $6 idle seconds, $7 status entry id, $8 ack, $9 mesh.log
-- topic, $10 session.
WITH session_check AS (
  SELECT NULLIF(COALESCE((
           SELECT CASE WHEN p.session_id = s.id AND p.lease_expires_at > now() THEN 'holds'
                       WHEN s.end_reason = 'taken_over' THEN 'taken_over' ELSE 'gone' END
             FROM sessions s LEFT JOIN presence p ON p.meshwork_id = s.meshwork_id AND p.agent = s.agent
            WHERE s.id = $10 AND s.meshwork_id = $1 AND s.agent = $2),
           CASE WHEN $10::uuid IS NOT NULL THEN 'unknown' END), 'holds') AS refusal
), top AS (
  SELECT COALESCE((SELECT max(seq) FROM deliveries WHERE meshwork_id = $1 AND agent = $2), 0) AS seq
), before AS (
  SELECT COALESCE((SELECT acked_seq FROM inbox_cursors c WHERE c.meshwork_id = $1 AND c.agent = $2), 0) AS seq
), gate AS (
  SELECT c.refusal, COALESCE($8::bigint > t.seq, false) AS ack_ahead,
         c.refusal IS NULL AND COALESCE($8::bigint <= t.seq, true) AS go
    FROM session_check c CROSS JOIN top t
), advanced AS (
  INSERT INTO inbox_cursors (meshwork_id, agent, acked_seq)
  SELECT $1::uuid, $2::text, $8::bigint WHERE $8::bigint IS NOT NULL AND (SELECT go FROM gate)
  ON CONFLICT (meshwork_id, agent) DO UPDATE SET acked_seq = GREATEST(inbox_cursors.acked_seq, excluded.acked_seq)
  RETURNING acked_seq
), start AS (
  SELECT GREATEST($3, b.seq, COALESCE($8::bigint, 0)) AS seq FROM before b
), batch AS (
  SELECT d.seq, d.message_id FROM deliveries d
   WHERE d.meshwork_id = $1 AND d.agent = $2 AND d.seq > (SELECT seq FROM start) AND (SELECT go FROM gate)
   ORDER BY d.seq
   LIMIT $4
), turned_read AS (
  UPDATE deliveries d SET state = 'read', read_at = now(), delivered_at = COALESCE(d.delivered_at, now())
   WHERE d.meshwork_id = $1 AND d.agent = $2 AND d.seq > (SELECT seq FROM before) AND d.seq <= $8::bigint
     AND d.state <> 'read' AND (SELECT go FROM gate)
  RETURNING d.seq, d.message_id
), turned_delivered AS (
  UPDATE deliveries d SET state = 'delivered', delivered_at = now()
   WHERE d.meshwork_id = $1 AND d.agent = $2 AND d.state = 'queued'
     AND d.seq >= (SELECT min(seq) FROM batch) AND d.seq <= (SELECT max(seq) FROM batch)
  RETURNING d.seq, d.message_id
), changed AS (
  SELECT seq, message_id, 'message.read' AS type FROM turned_read
  UNION ALL
  SELECT seq, message_id, 'message.delivered' AS type FROM turned_delivered
), held AS (
  SELECT p.reported_status AS previous, n.since, n.until, n.activity,
         agent_status(p.lease_expires_at, n.activity, n.until, $6::int, now()) AS status
    FROM presence p
   CROSS JOIN (SELECT EXISTS (SELECT 1 FROM batch) AS handed) h
   CROSS JOIN LATERAL (SELECT
            CASE WHEN h.handed THEN NULL WHEN p.waiting_until > now() THEN p.waiting_since ELSE now() END AS since,
            CASE WHEN h.handed THEN NULL ELSE now() + $5::int * interval '1 second' END AS until,
            CASE WHEN h.handed THEN now() ELSE p.last_activity_at END AS activity) n
   WHERE p.meshwork_id = $1 AND p.agent = $2 AND (h.handed OR $5::int > 0) AND (SELECT go FROM gate)
     FOR UPDATE OF p
), moved AS (
  UPDATE presence p
     SET waiting_since = h.since, waiting_until = h.until, last_activity_at = h.activity, last_seen_at = now(),
         reported_status = h.status, reported_at = CASE WHEN h.status <> h.previous THEN now() ELSE p.reported_at END
    FROM held h
   WHERE p.meshwork_id = $1 AND p.agent = $2
), status_changed AS (
  SELECT $7::text AS id, jsonb_build_object('from', h.previous, 'to', h.status) AS payload FROM held h WHERE h.status <> h.previous
), changes AS (
  SELECT c.type, m.sender, m.meshwork_id = $1 AS here, jsonb_agg(c.message_id::text ORDER BY c.seq) AS ids, min(c.seq) AS first
    FROM changed c
   CROSS JOIN LATERAL (SELECT meshwork_id, sender FROM messages m WHERE m.id = c.message_id OFFSET 0) m
   GROUP BY c.type, m.meshwork_id, m.sender
), unnumbered AS (
  SELECT gen_random_uuid()::text AS id, c.type, jsonb_build_object('message_ids', c.ids) AS payload,
         CASE WHEN c.here THEN ARRAY[c.sender] END AS senders, CASE WHEN c.type = 'message.read' THEN 0 ELSE 1 END AS rank, c.first,
         now() AS time
    FROM changes c
  UNION ALL
  SELECT s.id, 'agent.status', s.payload, NULL, 2, 0, clock_timestamp() FROM status_changed s
), counted AS (
  INSERT INTO event_log_seq (meshwork_id, last_seq)
  SELECT $1, count(*) FROM unnumbered HAVING count(*) > 0
  ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = event_log_seq.last_seq + excluded.last_seq
  RETURNING last_seq
), entries AS (
  SELECT u.*, n.last_seq - count(*) OVER () + row_number() OVER (ORDER BY u.rank, u.first) AS seq
    FROM unnumbered u CROSS JOIN counted n
), entries_logged AS (
  INSERT INTO event_log (meshwork_id, seq, id, type, agent, time, payload, recipients)
  SELECT $1, e.seq, e.id, e.type, $2, e.time, e.payload, e.senders FROM entries e
), entries_published AS (
  INSERT INTO outbox (topic, record_key, payload)
  SELECT $9, $1::uuid::text, jsonb_build_object('seq', e.seq, 'id', e.id, 'type', e.type, 'agent', $2::text,
           'time', to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
           'payload', e.payload, 'recipients', to_jsonb(e.senders), 'meshwork', $1::uuid::text)::text
    FROM entries e ORDER BY e.seq
), logged AS (
  SELECT count(*) AS n FROM entries
)
SELECT g.refusal, g.ack_ahead, (SELECT acked_seq FROM advanced) AS acked_seq, (SELECT count(*) FROM turned_read) AS newly_read,
       s.seq AS start, t.seq AS top, (SELECT n FROM logged) AS logged,
       b.seq, m.id, m.meshwork_id, m.meshwork_name, m.sender, m.from_person, m.addressed_to, m.kind, m.body, m.data,
       m.thread_id, m.reply_to, m.created_at
  FROM gate g
  CROSS JOIN start s
  CROSS JOIN top t
  LEFT JOIN batch b ON true
  LEFT JOIN LATERAL (SELECT * FROM messages m WHERE m.id = b.message_id OFFSET 0) m ON true
 ORDER BY b.seq
