package io.meshcode.bus;

/**
 * The replay-log entries of delivery-state changes: {@code message.delivered} when a wait hands
 * messages to their recipient, {@code message.read} when it acknowledges them; and the
 * {@code agent.status} entry of the status change a wait's read makes. They are written by
 * the statement that changes the states ({@link MessageRepository}'s {@code TAKE}, which also
 * acknowledges), in its transaction, so the log never shows a change that did not commit and the hot paths take
 * no extra round trip; a read that changes no state writes nothing and takes no lock.
 *
 * <p>One change of one inbox is one entry per sender of the messages whose state it changed (a
 * batch of one sender's messages, the usual case, is one entry): {@code agent} is the recipient,
 * {@code payload} {@code {"message_ids":[…]}} in inbox order, and {@code recipients} the sender
 * when it is an agent of the recipient's meshwork. The log's guest rules (what an agent sent or
 * received) then show each entry to the recipient's guest and to the sender's, and never a
 * message id of one sender to another.
 *
 * <p>Each entry takes the next number of the inbox meshwork's log counter, after the inbox's cursor
 * row is locked, and holds it until the statement commits (it is one statement), so seqs follow
 * commit order as every other writer's do. It is announced on {@code mesh.log} through the
 * outbox, in the shape {@link LogEntry#toRecord()} gives.
 */
final class DeliveryLog {

  static final String DELIVERED = "message.delivered";
  static final String READ = "message.read";

  private DeliveryLog() {}

  /**
   * The common table expressions, to follow the statement's own, that log what its CTE
   * {@code changed} (columns {@code seq, message_id, type}: the deliveries whose state its move of
   * the cursors changed, and {@link #READ} or {@link #DELIVERED}) did to the inbox of agent {@code $2} of meshwork
   * {@code $1}, the reads first, and then the status change its CTE {@code status_changed}
   * (columns {@code id, payload}; no row for none) made: their records go on topic
   * {@code $<topic>}. {@code logged} answers how many entries were written. One statement takes the
   * counter once, for every entry: an upsert of the same row in two of its parts would be undefined.
   */
  static String ctes(int topicParam) {
    String topic = "$" + topicParam;
    return """
        , changes AS (
          SELECT c.type, m.sender, m.meshwork_id = $1 AS here, jsonb_agg(c.message_id::text ORDER BY c.seq) AS ids, min(c.seq) AS first
            FROM changed c
           CROSS JOIN LATERAL (SELECT meshwork_id, sender FROM messages m WHERE m.id = c.message_id OFFSET 0) m
           GROUP BY c.type, m.meshwork_id, m.sender
        ), unnumbered AS (
          SELECT gen_random_uuid()::text AS id, c.type, jsonb_build_object('message_ids', c.ids) AS payload,
                 CASE WHEN c.here THEN ARRAY[c.sender] END AS senders, CASE WHEN c.type = '%1$s' THEN 0 ELSE 1 END AS rank, c.first,
                 now() AS time
            FROM changes c
          UNION ALL
          SELECT s.id, '%3$s', s.payload, NULL, 2, 0, clock_timestamp() FROM status_changed s
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
          SELECT %2$s, $1::uuid::text, jsonb_build_object('seq', e.seq, 'id', e.id, 'type', e.type, 'agent', $2::text,
                   'time', to_char(e.time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
                   'payload', e.payload, 'recipients', to_jsonb(e.senders), 'meshwork', $1::uuid::text)::text
            FROM entries e ORDER BY e.seq
        ), logged AS (
          SELECT count(*) AS n FROM entries
        )
        """.formatted(READ, topic, PresenceEvents.AGENT_STATUS);
  }
}
