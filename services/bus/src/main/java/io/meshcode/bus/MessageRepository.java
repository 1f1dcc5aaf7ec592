package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.meshcode.core.http.ApiException;
import io.meshcode.core.ids.Ids;
import io.meshcode.core.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Messages and inboxes. A send stores the message, a delivery at the next position of each
 * recipient's inbox, its replay-log entries and its record for {@code mesh.messages} in the outbox
 * ({@link MessageLog}), in one transaction: once it commits the message is accepted, and nothing
 * after that loses it.
 */
final class MessageRepository {

  /** The type of the records on {@code mesh.messages}. */
  static final String MESSAGE_SENT = "message.sent";

  /**
   * How long after a parked wait's end its agent still counts as waiting, for the next wait to
   * begin: a wait that times out and is renewed at once never flickers.
   */
  static final int WAIT_GRACE_SECONDS = 5;

  private static final String FIND_SENDER = """
      SELECT meshwork_id, sender FROM messages WHERE id = $1
      """;

  // A send is this one statement, so a group of them and its locks go to PostgreSQL together, and
  // a lone send needs no transaction of its own:
  // - the check of the session it was made in ($22, null for none: SessionCheck); a refused send
  //   inserts no message, and then nothing else happens;
  // - the message ($1-$11, and $21 the person who sent it as its owner, else null; a reply without a thread joins the thread of the message it answers,
  //   or starts one named after it); a stored id inserts nothing, and then nothing else happens;
  // - the log counter of each meshwork reached ($17, MessageLog), bumped in uuid order;
  // - n positions in each recipient meshwork's inbox sequence ($12-$14), in uuid order, and one
  //   delivery at each;
  // - the payload: $16 completed with the thread and each recipient's position;
  // - one replay-log entry in each meshwork reached, numbered by its counter;
  // - the record for mesh.messages in the outbox: the envelope ($18 type, $19 time) with the
  //   entries' headers as "log";
  // and it answers the session's refusal, the stored message's id and each recipient's position
  // and presence status (one row with a null ord when there are no recipients; one row with a null
  // id when it stored nothing). A data-modifying CTE runs once whether or not the final select
  // reads it.
  //
  // Its locks (each upsert holds its rows until commit) come in the order every writer takes
  // them: all log counters, then all inbox positions, each in uuid order. The positions wait for
  // count(*) of the counters' upsert, which runs that upsert to its end before the first position
  // is taken; an EXISTS would stop at its first row.
  static final String SEND = "WITH " + SessionCheck.cte(22, 2, 4) + """
      , msg AS (
        INSERT INTO messages (id, meshwork_id, meshwork_name, sender, addressed_to, kind, body, data, thread_id, reply_to, created_at, from_person)
        SELECT $1, $2, $3, $4, $5::text::jsonb, $6, $7, $8::text::jsonb,
               COALESCE($9, (SELECT COALESCE(r.thread_id, r.id::text) FROM messages r WHERE r.id = $10)), $10, $11, $21
         WHERE (SELECT refusal IS NULL FROM session_check)
        ON CONFLICT (id) DO NOTHING
        RETURNING id, thread_id
      ), reached AS (
        SELECT (r.value ->> 'meshwork')::uuid AS meshwork_id, r.value ->> 'agent' AS agent, r.value -> 'recipients' AS recipients, r.ord
          FROM jsonb_array_elements($17::text::jsonb) WITH ORDINALITY AS r(value, ord)
         WHERE EXISTS (SELECT 1 FROM msg)
      ), numbered AS (
        INSERT INTO event_log_seq (meshwork_id, last_seq)
        SELECT meshwork_id, 1 FROM reached ORDER BY meshwork_id
        ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = event_log_seq.last_seq + 1
        RETURNING meshwork_id, last_seq AS seq
      ), positions AS (
        INSERT INTO inbox_positions (meshwork_id, last_seq)
        SELECT mw, count(*) FROM unnest($12::uuid[]) AS r(mw) WHERE (SELECT count(*) FROM numbered) > 0 GROUP BY mw ORDER BY mw
        ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = inbox_positions.last_seq + excluded.last_seq
        RETURNING meshwork_id, last_seq
      ), wanted AS (
        SELECT r.mw, r.name, r.agent, r.ord,
               p.last_seq - count(*) OVER (PARTITION BY r.mw) + row_number() OVER (PARTITION BY r.mw ORDER BY r.ord) AS seq
          FROM unnest($12::uuid[], $13::text[], $14::text[]) WITH ORDINALITY AS r(mw, name, agent, ord)
          JOIN positions p ON p.meshwork_id = r.mw
      ), delivered AS (
        INSERT INTO deliveries (meshwork_id, meshwork_name, agent, seq, message_id)
        SELECT mw, name, agent, seq, $1 FROM wanted
      ), payload AS (
        SELECT $16::text::jsonb || jsonb_build_object('thread_id', msg.thread_id, 'recipients', COALESCE(
                 (SELECT jsonb_agg(jsonb_build_object('meshwork_id', w.mw, 'meshwork', w.name, 'agent', w.agent, 'seq', w.seq) ORDER BY w.ord)
                    FROM wanted w), '[]'::jsonb)) AS value
          FROM msg
      ), logged AS (
        INSERT INTO event_log (meshwork_id, seq, id, type, agent, time, payload, recipients)
        SELECT r.meshwork_id, n.seq, $1::uuid::text, $18, r.agent, $11, p.value, ARRAY(SELECT jsonb_array_elements_text(r.recipients))
          FROM reached r JOIN numbered n USING (meshwork_id) CROSS JOIN payload p
      ), published AS (
        INSERT INTO outbox (topic, record_key, payload)
        SELECT $20, $2::uuid::text, jsonb_build_object('id', $1::uuid::text, 'type', $18::text, 'meshwork', $2::uuid::text, 'agent', $4::text, 'time', $19::text,
                 'payload', p.value,
                 'log', (SELECT jsonb_agg(jsonb_build_object('meshwork', r.meshwork_id, 'seq', n.seq, 'agent', r.agent, 'recipients', r.recipients)
                                          ORDER BY r.ord)
                           FROM reached r JOIN numbered n USING (meshwork_id)))::text
          FROM payload p
      )
      SELECT c.refusal, msg.id, msg.thread_id, w.ord, w.seq,
             COALESCE(agent_status(pr.lease_expires_at, pr.last_activity_at, pr.waiting_until, $15::int, now()), 'offline') AS status
        FROM session_check c
        LEFT JOIN msg ON true
        LEFT JOIN wanted w ON true
        LEFT JOIN presence pr ON pr.meshwork_id = w.mw AND pr.agent = w.agent
       ORDER BY w.ord
      """;

  // A writer of the replay log holds its meshworks' log counters, taken in uuid order (creating
  // missing rows), until it commits.
  private static final String LOCK_LOG_COUNTERS = """
      INSERT INTO event_log_seq (meshwork_id, last_seq)
      SELECT DISTINCT mw, 0 FROM unnest($1::uuid[]) AS r(mw) ORDER BY mw
      ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = event_log_seq.last_seq
      """;

  // A group of sends takes all its meshworks' rows before any send's writes, in the order SEND
  // takes them: the log counters, then the inbox positions, each in uuid order. Every writer of
  // inbox positions holds the counters of their meshworks first (the replay log's task notices
  // too), so none waits on another in a circle. The positions wait for count(*) of the counters'
  // upsert, as in SEND.
  private static final String LOCK_LOGS_AND_INBOXES = "WITH counters AS (" + LOCK_LOG_COUNTERS + """
        RETURNING 1
      )
      INSERT INTO inbox_positions (meshwork_id, last_seq)
      SELECT DISTINCT mw, 0 FROM unnest($1::uuid[]) AS r(mw) WHERE (SELECT count(*) FROM counters) > 0 ORDER BY mw
      ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = inbox_positions.last_seq
      """;

  private static final String MESSAGE = """
      SELECT meshwork_id, sender, from_person, created_at, thread_id FROM messages WHERE id = $1 AND meshwork_id = $2
      """;

  // A message's deliveries, at the positions its log entry in the sender's meshwork ($3) lists:
  // the send writes that entry with them, and the deliveries table has no index by message. Each
  // one's state follows from its inbox's cursors, and its times from the first mark of each kind
  // at or above its position (V11): the cursor passed it then. Each delivery is fetched by its key
  // (a lateral subquery the planner may not flatten), as PEEK fetches messages.
  static final String DELIVERIES = "SELECT " + Delivery.COLUMNS + """
        FROM event_log l
       CROSS JOIN LATERAL jsonb_to_recordset(l.payload -> 'recipients') AS r(meshwork_id uuid, agent text, seq bigint)
        CROSS JOIN LATERAL (SELECT * FROM deliveries d WHERE d.meshwork_id = r.meshwork_id AND d.agent = r.agent AND d.seq = r.seq
                             OFFSET 0) d
        LEFT JOIN inbox_cursors c ON c.meshwork_id = d.meshwork_id AND c.agent = d.agent
        LEFT JOIN LATERAL (SELECT k.at FROM inbox_marks k
                            WHERE k.meshwork_id = d.meshwork_id AND k.agent = d.agent AND k.kind = 'r' AND k.upto >= d.seq
                              AND d.seq <= c.acked_seq
                            ORDER BY k.upto LIMIT 1) read_mark ON true
        LEFT JOIN LATERAL (SELECT k.at FROM inbox_marks k
                            WHERE k.meshwork_id = d.meshwork_id AND k.agent = d.agent AND k.kind = 'd' AND k.upto >= d.seq
                              AND d.seq <= c.delivered_seq
                            ORDER BY k.upto LIMIT 1) delivered_mark ON true
        LEFT JOIN presence p ON p.meshwork_id = d.meshwork_id AND p.agent = d.agent
       WHERE l.meshwork_id = $3 AND l.id = $1::uuid::text
       ORDER BY d.meshwork_id = $3 DESC, d.meshwork_name, d.agent
      """;

  // Reading starts after the acknowledged position, or after $3 if the caller is further along.
  // Each message is fetched by its id (a lateral subquery the planner may not flatten): a plain join
  // lets the generic plan of a prepared statement hash the whole messages table on every read.
  static final String PEEK = """
      SELECT d.seq, m.id, m.meshwork_id, m.meshwork_name, m.sender, m.from_person, m.addressed_to, m.kind, m.body, m.data,
             m.thread_id, m.reply_to, m.created_at
        FROM deliveries d
        CROSS JOIN LATERAL (SELECT * FROM messages m WHERE m.id = d.message_id OFFSET 0) m
       WHERE d.meshwork_id = $1 AND d.agent = $2
         AND d.seq > GREATEST($3, COALESCE((SELECT acked_seq FROM inbox_cursors c WHERE c.meshwork_id = $1 AND c.agent = $2), 0))
       ORDER BY d.seq
       LIMIT $4
      """;

  // Where a read of the inbox starts: after the acknowledged position, or after $3 if the caller is further along.
  private static final String START = """
      SELECT GREATEST($3, COALESCE((SELECT acked_seq FROM inbox_cursors c WHERE c.meshwork_id = $1 AND c.agent = $2), 0)) AS seq
      """;

  // A wait's read, the acknowledgement it carries, and what it does to its agent's status, in one
  // statement. An acknowledgement alone is this statement with nothing to read ($4 = 0, $5 = 0).
  // - The acknowledgement ($8, null for none): past the inbox's last position it is refused and the
  //   statement changes nothing at all (the caller answers 400).
  // - The batch: the deliveries after the acknowledged position (this one's included), or after
  //   $3 if the caller is further along, up to $4. Every part reads by index whatever the plan: by
  //   position range, and each message by its id (as in PEEK).
  // - The states follow from the inbox's cursors (V11): at or below acked_seq read, at or below
  //   delivered_seq delivered. The acknowledgement moves acked_seq to it, and the batch moves
  //   delivered_seq to its last position (never below acked_seq), each only forward. The cursor
  //   row is written only when one of them moves, as the snapshot shows it; the upsert then works
  //   on the row's latest version and keeps where it moved from, so the positions it changed
  //   (turned_read, turned_delivered: each once, none of them both) are exactly those between,
  //   even when another statement moved the cursor in between. Each move writes a mark with its
  //   time (inbox_marks), which dates every position it passed.
  // - The status: a batch makes the agent working (the wait ended); an empty one with $5 > 0 makes
  //   it waiting until $5 seconds from now (the park plus WAIT_GRACE_SECONDS). An agent without a
  //   session has no presence row, and nothing is recorded. A change of the derived status is
  //   reported as StatusReports does it: reported_status updated and an agent.status entry (id $7)
  //   logged, in this transaction, the row locked while compared; its time is read once the lock
  //   is held (clock_timestamp), so it follows the change it came after.
  // - The deliveries that turned read, then those that turned delivered, then the status change,
  //   are logged as message.read, message.delivered and agent.status and announced on mesh.log
  //   ($9): DeliveryLog. Nothing changed, nothing logged.
  // - The session the read was made in ($10, null for none: SessionCheck): if it no longer holds the
  //   agent, nothing is written.
  // Each row answers the session's refusal, whether the acknowledgement was ahead, the cursor it
  // left acknowledged and how many turned read, where reading started and the inbox's last
  // position, and one message; for an empty batch there is one row, with no message.
  static final String TAKE = "WITH " + SessionCheck.cte(10, 1, 2) + """
      , top AS (
        SELECT COALESCE((SELECT max(seq) FROM deliveries WHERE meshwork_id = $1 AND agent = $2), 0) AS seq
      ), seen AS (
        SELECT acked_seq, delivered_seq FROM inbox_cursors c WHERE c.meshwork_id = $1 AND c.agent = $2
      ), gate AS (
        SELECT c.refusal, COALESCE($8::bigint > t.seq, false) AS ack_ahead,
               c.refusal IS NULL AND COALESCE($8::bigint <= t.seq, true) AS go
          FROM session_check c CROSS JOIN top t
      ), start AS (
        SELECT GREATEST($3, COALESCE((SELECT acked_seq FROM seen), 0), COALESCE($8::bigint, 0)) AS seq
      ), batch AS (
        SELECT d.seq, d.message_id FROM deliveries d
         WHERE d.meshwork_id = $1 AND d.agent = $2 AND d.seq > (SELECT seq FROM start) AND (SELECT go FROM gate)
         ORDER BY d.seq
         LIMIT $4
      ), target AS (
        SELECT COALESCE($8::bigint, 0) AS acked, GREATEST(COALESCE((SELECT max(seq) FROM batch), 0), COALESCE($8::bigint, 0)) AS delivered
         WHERE (SELECT go FROM gate)
      ), moved_cursors AS (
        INSERT INTO inbox_cursors (meshwork_id, agent, acked_seq, delivered_seq)
        SELECT $1::uuid, $2::text, t.acked, t.delivered FROM target t
         WHERE t.acked > COALESCE((SELECT acked_seq FROM seen), 0) OR t.delivered > COALESCE((SELECT delivered_seq FROM seen), 0)
        ON CONFLICT (meshwork_id, agent) DO UPDATE
           SET acked_seq = GREATEST(inbox_cursors.acked_seq, excluded.acked_seq),
               delivered_seq = GREATEST(inbox_cursors.delivered_seq, excluded.delivered_seq),
               acked_from = inbox_cursors.acked_seq, delivered_from = inbox_cursors.delivered_seq
        RETURNING acked_from, acked_seq, delivered_from, delivered_seq
      ), marked AS (
        INSERT INTO inbox_marks (meshwork_id, agent, kind, upto, at)
        SELECT $1, $2, 'r', acked_seq, now() FROM moved_cursors WHERE acked_seq > acked_from
        UNION ALL
        SELECT $1, $2, 'd', delivered_seq, now() FROM moved_cursors WHERE delivered_seq > delivered_from
        ON CONFLICT DO NOTHING
      ), turned_read AS (
        SELECT d.seq, d.message_id FROM moved_cursors c
          JOIN deliveries d ON d.meshwork_id = $1 AND d.agent = $2 AND d.seq > c.acked_from AND d.seq <= c.acked_seq
      ), turned_delivered AS (
        SELECT d.seq, d.message_id FROM moved_cursors c
          JOIN deliveries d ON d.meshwork_id = $1 AND d.agent = $2 AND d.seq > GREATEST(c.delivered_from, c.acked_seq) AND d.seq <= c.delivered_seq
      ), changed AS (
        SELECT seq, message_id, '%s' AS type FROM turned_read
        UNION ALL
        SELECT seq, message_id, '%s' AS type FROM turned_delivered
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
      )""".formatted(DeliveryLog.READ, DeliveryLog.DELIVERED) + DeliveryLog.ctes(9) + """
      SELECT g.refusal, g.ack_ahead, COALESCE((SELECT acked_seq FROM moved_cursors), (SELECT acked_seq FROM seen), 0) AS acked_seq,
             (SELECT count(*) FROM turned_read) AS newly_read,
             s.seq AS start, t.seq AS top, (SELECT n FROM logged) AS logged,
             b.seq, m.id, m.meshwork_id, m.meshwork_name, m.sender, m.from_person, m.addressed_to, m.kind, m.body, m.data,
             m.thread_id, m.reply_to, m.created_at
        FROM gate g
        CROSS JOIN start s
        CROSS JOIN top t
        LEFT JOIN batch b ON true
        LEFT JOIN LATERAL (SELECT * FROM messages m WHERE m.id = b.message_id OFFSET 0) m ON true
       ORDER BY b.seq
      """;

  // Counted along the index from the acknowledged position: the order asked for keeps it there.
  static final String COUNT_UNREAD = """
      SELECT count(*) AS unread FROM (
        SELECT d.seq FROM deliveries d
         WHERE d.meshwork_id = $1 AND d.agent = $2
           AND d.seq > COALESCE((SELECT acked_seq FROM inbox_cursors c WHERE c.meshwork_id = $1 AND c.agent = $2), 0)
         ORDER BY d.seq
         LIMIT ALL) unread
      """;

  /** What a send's statement did; only an accepted send wrote anything. */
  sealed interface SendOutcome permits Accepted, StoredBefore, Refused {}

  /** What a send stored: its time and thread, and each recipient's inbox position and presence status, in recipient order. */
  record Accepted(Instant createdAt, String threadId, long[] seqs, String[] statuses) implements SendOutcome {}

  /** The message's id was stored already: a resend, or another sender's id. */
  record StoredBefore() implements SendOutcome {}

  /** The session the send was made in no longer holds its sender ({@link SessionCheck}): what to answer. */
  record Refused(ApiException reason) implements SendOutcome {}

  /** What a send answers: the message's id, time and thread, and whether it was already stored (a resend). */
  record Sent(UUID id, String sender, String fromPerson, Instant createdAt, String threadId, boolean resent, List<Delivery> deliveries) {}

  /** What an acknowledgement did: how many messages turned read, and the cursor now acknowledged. */
  record Acked(int newlyRead, InboxCursor cursor) {}

  private final Pool pool;
  private final BusSettings settings;
  private final Runnable onAccepted;
  private final SendGroups<SendOutcome> groups;

  /**
   * {@code onAccepted} runs after each committed send, and each wait's read or acknowledgement that
   * logged a delivery change (the bus wakes its outbox relay).
   */
  MessageRepository(Pool pool, BusSettings settings, Runnable onAccepted) {
    this.pool = pool;
    this.settings = settings;
    this.onAccepted = onAccepted;
    this.groups = new SendGroups<>(pool, MessageRepository::lockLogsAndInboxes);
  }

  /**
   * Stores and queues {@code message} from {@code sender}; a resend of a stored id answers what
   * was stored. Sends arriving together share a transaction ({@link SendGroups}). Made in
   * {@code session} (null for none), it is refused, storing nothing, once that session no longer
   * holds the sender.
   */
  Future<Sent> send(AgentSlot sender, String meshworkName, OutgoingMessage message, List<Recipient> recipients, UUID session) {
    Set<UUID> reached = new HashSet<>();
    reached.add(sender.meshwork());
    recipients.forEach(r -> reached.add(r.meshwork()));
    return groups.submit(reached, sendStatement(sender, meshworkName, message, recipients, settings.idleSeconds(), session))
        .compose(outcome -> {
          if (outcome instanceof Refused refused) {
            return Future.failedFuture(refused.reason());
          }
          if (!(outcome instanceof Accepted accepted)) {
            return resent(sender, message.id());
          }
          onAccepted.run();
          List<Delivery> states = new ArrayList<>(recipients.size());
          for (int i = 0; i < recipients.size(); i++) {
            states.add(new Delivery(recipients.get(i).nameFrom(sender.meshwork()), "queued", accepted.statuses()[i], null, null));
          }
          return Future.succeededFuture(new Sent(
              message.id(), sender.agent(), message.fromPerson(), accepted.createdAt(), accepted.threadId(), false, states));
        });
  }

  /**
   * The send's one statement ({@link #SEND}) and how its rows answer: the message, its deliveries,
   * its log entries and its record for mesh.messages; or nothing written, when the id is stored
   * already or {@code session} (null for none) no longer holds the sender. A refused send fails
   * only itself: the others of its group are stored. It takes the log counters, then the inbox
   * positions, of the sender's and the recipients' meshworks, as {@link #lockLogsAndInboxes} does,
   * so it can run alone; in a group, that group's transaction holds them already.
   */
  static SendGroups.Statement<SendOutcome> sendStatement(
      AgentSlot sender, String meshworkName, OutgoingMessage message, List<Recipient> recipients, int idleSeconds, UUID session) {
    // The time is the bus's clock, to the microsecond PostgreSQL keeps, so the payload can carry it as stored.
    Instant createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS);
    String created = Sql.iso(createdAt);
    JsonObject payload = message.payload(sender, meshworkName, created);
    Tuple params = Tuple.tuple()
        .addUUID(message.id()).addUUID(sender.meshwork()).addString(meshworkName).addString(sender.agent())
        .addString(Json.encode(message.addressedTo())).addString(message.kind()).addString(message.text())
        .addString(message.data() == null ? null : Json.encode(message.data())).addString(message.threadId()).addUUID(message.replyTo())
        .addOffsetDateTime(createdAt.atOffset(ZoneOffset.UTC))
        .addArrayOfUUID(recipients.stream().map(Recipient::meshwork).toArray(UUID[]::new))
        .addArrayOfString(recipients.stream().map(Recipient::meshworkName).toArray(String[]::new))
        .addArrayOfString(recipients.stream().map(Recipient::agent).toArray(String[]::new))
        .addInteger(idleSeconds)
        .addString(payload.encode())
        .addString(MessageLog.reached(sender, meshworkName, recipients).encode())
        .addString(MESSAGE_SENT).addString(created).addString(Topics.MESSAGES)
        .addString(message.fromPerson())
        .addUUID(session);
    return new SendGroups.Statement<>(SEND, params, rows -> {
      Row first = rows.iterator().next();
      ApiException refusal = SessionCheck.refusal(first);
      if (refusal != null) {
        return new Refused(refusal);
      }
      if (first.getUUID("id") == null) {
        return new StoredBefore();
      }
      long[] seqs = new long[recipients.size()];
      String[] statuses = new String[recipients.size()];
      String thread = null;
      for (Row row : rows) {
        thread = row.getString("thread_id");
        Long ord = row.getLong("ord");
        if (ord != null) {
          seqs[(int) (ord - 1)] = row.getLong("seq");
          statuses[(int) (ord - 1)] = row.getString("status");
        }
      }
      return new Accepted(createdAt, thread, seqs, statuses);
    }, true);
  }

  /**
   * Takes the log-counter rows, then the inbox-position rows, of {@code meshworks}, each in uuid
   * order (creating missing ones), until the transaction ends: one statement.
   */
  static Future<Void> lockLogsAndInboxes(SqlConnection conn, List<UUID> meshworks) {
    if (meshworks.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(LOCK_LOGS_AND_INBOXES).execute(Tuple.of(meshworks.toArray(UUID[]::new))).mapEmpty();
  }

  /**
   * Takes the log-counter rows of {@code meshworks} in uuid order (creating missing ones) until the
   * transaction ends: what a writer of the replay log holds before it numbers entries.
   */
  static Future<Void> lockLogs(SqlConnection conn, List<UUID> meshworks) {
    return conn.preparedQuery(LOCK_LOG_COUNTERS).execute(Tuple.of(meshworks.toArray(UUID[]::new))).mapEmpty();
  }

  /** A stored id sent again: the same sender's resend answers what was stored; anyone else's is a conflict. */
  private Future<Sent> resent(AgentSlot sender, UUID id) {
    return pool.preparedQuery(FIND_SENDER).execute(Tuple.of(id)).compose(rows -> {
      Row row = rows.iterator().next();
      if (!sender.meshwork().equals(row.getUUID("meshwork_id")) || !sender.agent().equals(row.getString("sender"))) {
        return Future.failedFuture(new ApiException(409, "id_taken", "a message with id " + id + " exists already; choose another id"));
      }
      return find(sender.meshwork(), id).map(found -> new Sent(
          id, found.sender(), found.fromPerson(), found.createdAt(), found.threadId(), true, found.deliveries()));
    });
  }

  /** A message of {@code meshwork} (its sender's) with each recipient's delivery; null if there is none. */
  Future<Sent> find(UUID meshwork, UUID id) {
    return pool.preparedQuery(MESSAGE).execute(Tuple.of(id, meshwork)).compose(rows -> {
      if (rows.size() == 0) {
        return Future.succeededFuture(null);
      }
      Row row = rows.iterator().next();
      return deliveries(id, meshwork).map(states -> new Sent(
          id, row.getString("sender"), row.getString("from_person"), Sql.instant(row, "created_at"), row.getString("thread_id"), false,
          states));
    });
  }

  private Future<List<Delivery>> deliveries(UUID message, UUID senderMeshwork) {
    return pool.preparedQuery(DELIVERIES).execute(Tuple.of(message, settings.idleSeconds(), senderMeshwork)).map(rows -> {
      List<Delivery> states = new ArrayList<>(rows.size());
      rows.forEach(row -> states.add(Delivery.from(row, senderMeshwork)));
      return states;
    });
  }

  /** Unread messages after {@code after}, changing nothing. */
  Future<InboxBatch> peek(AgentSlot inbox, long after, int limit) {
    return pool.preparedQuery(PEEK).execute(Tuple.of(inbox.meshwork(), inbox.agent(), after, limit + 1)).compose(rows -> {
      List<InboxMessage> messages = new ArrayList<>(rows.size());
      rows.forEach(row -> messages.add(InboxMessage.from(row, inbox.meshwork())));
      boolean more = messages.size() > limit;
      List<InboxMessage> batch = more ? messages.subList(0, limit) : messages;
      return batch(inbox, after, batch, more);
    });
  }

  /**
   * Unread messages after {@code after}, marking those returned delivered: what a wait hands its
   * agent, having first acknowledged everything up to {@code ack} (null for none) as
   * {@link #ack} would. A batch makes the agent working; an empty one parks it: waiting for
   * {@code parkSeconds} (none if 0) plus {@link #WAIT_GRACE_SECONDS}. An acknowledgement past the
   * inbox's last position is refused, and so is a read made in {@code session} (null for none)
   * once it no longer holds the agent: either changes nothing.
   */
  Future<InboxBatch> take(AgentSlot inbox, long after, Long ack, int limit, int parkSeconds, UUID session) {
    return readAndAck(inbox, after, ack, "ack", limit, parkSeconds, session).map(rows -> {
      List<InboxMessage> messages = new ArrayList<>(rows.size());
      Row first = rows.iterator().next();
      for (Row row : rows) {
        if (row.getLong("seq") != null) {
          messages.add(InboxMessage.from(row, inbox.meshwork()));
        }
      }
      Integer acked = ack == null ? null : first.getLong("newly_read").intValue();
      if (messages.isEmpty()) {
        // Nothing unread: the cursor stays where reading started (the acknowledged position, or later).
        return new InboxBatch(messages, InboxCursor.at(inbox, first.getLong("start")), false, acked);
      }
      long last = messages.get(messages.size() - 1).seq();
      return new InboxBatch(messages, InboxCursor.at(inbox, last), first.getLong("top") > last, acked);
    });
  }

  /**
   * Marks everything up to {@code seq} read; a position beyond the inbox's last is refused, and so
   * is an acknowledgement made in {@code session} (null for none) once it no longer holds the agent.
   */
  Future<Acked> ack(AgentSlot inbox, long seq, UUID session) {
    return readAndAck(inbox, 0, seq, "cursor", 0, 0, session).map(rows -> {
      Row acked = rows.iterator().next();
      return new Acked(acked.getLong("newly_read").intValue(), InboxCursor.at(inbox, acked.getLong("acked_seq")));
    });
  }

  /** Runs {@link #TAKE}: its rows, or the refusal its first row answers ({@code ackField} names the acknowledgement's field). */
  private Future<RowSet<Row>> readAndAck(AgentSlot inbox, long after, Long ack, String ackField, int limit, int parkSeconds, UUID session) {
    int waitingFor = parkSeconds > 0 ? parkSeconds + WAIT_GRACE_SECONDS : 0;
    Tuple params = Tuple.of(inbox.meshwork(), inbox.agent(), after, limit, waitingFor, settings.idleSeconds(), Ids.newId(), ack,
        Topics.LOG, session);
    return pool.preparedQuery(TAKE).execute(params).compose(rows -> {
      Row first = rows.iterator().next();
      ApiException refusal = SessionCheck.refusal(first);
      if (refusal != null) {
        return Future.failedFuture(refusal);
      }
      if (first.getBoolean("ack_ahead")) {
        return Future.failedFuture(ApiException.badRequest("'" + ackField + "' is ahead of this agent's inbox"));
      }
      if (first.getLong("logged") > 0) {
        onAccepted.run();
      }
      return Future.succeededFuture(rows);
    });
  }

  private Future<InboxBatch> batch(AgentSlot inbox, long after, List<InboxMessage> messages, boolean more) {
    if (!messages.isEmpty()) {
      return Future.succeededFuture(new InboxBatch(messages, InboxCursor.at(inbox, messages.get(messages.size() - 1).seq()), more));
    }
    // Nothing unread: the cursor stays where reading started (the acknowledged position, or later).
    return pool.preparedQuery(START).execute(Tuple.of(inbox.meshwork(), inbox.agent(), after))
        .map(rows -> new InboxBatch(messages, InboxCursor.at(inbox, rows.iterator().next().getLong("seq")), false));
  }

  Future<Long> unread(AgentSlot inbox) {
    return pool.preparedQuery(COUNT_UNREAD).execute(Tuple.of(inbox.meshwork(), inbox.agent()))
        .map(rows -> rows.iterator().next().getLong("unread"));
  }
}
