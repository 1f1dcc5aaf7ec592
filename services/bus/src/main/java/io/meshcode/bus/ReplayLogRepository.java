package io.meshcode.bus;

import io.meshcode.core.kafka.Topics;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.json.JsonObject;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The replay log of every meshwork: entries numbered 1, 2, 3… per meshwork. This stores the
 * events of {@code mesh.events}, each new one announced on {@code mesh.log} through the outbox in
 * the transaction that stores it; a message is logged by the send that stores it
 * ({@link MessageLog}), delivery changes and status changes by the wait's read ({@link DeliveryLog}),
 * and the bus's other events by the transaction that makes them ({@link #append}), all with the
 * same counters.
 */
final class ReplayLogRepository {

  // Run with the meshworks' counters held (MessageRepository.lockLogs, issued before it
  // in its transaction): every writer of a meshwork takes turns on its counter row, so seq never
  // skips and follows commit order, and what this statement's snapshot finds logged was committed
  // by an earlier writer. The entries ($1-$6, in their order) that are not logged yet, each id
  // once, and not of a deleted meshwork, are numbered on from their meshwork's counter, stored, and announced on mesh.log ($8):
  // their record ($7) with the seq added. It answers the position in the batch of each new one.
  static final String STORE = """
      WITH given AS (
        SELECT g.*, min(g.ord) OVER (PARTITION BY g.meshwork_id, g.id) AS first
          FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
               WITH ORDINALITY AS g(meshwork_id, id, type, agent, time, payload, record, ord)
      ), fresh AS (
        SELECT g.* FROM given g
         WHERE g.ord = g.first
           AND NOT EXISTS (SELECT 1 FROM event_log l WHERE l.meshwork_id = g.meshwork_id AND l.id = g.id)
           AND NOT EXISTS (SELECT 1 FROM deleted_meshworks d WHERE d.meshwork_id = g.meshwork_id)
      ), numbered AS (
        UPDATE event_log_seq s SET last_seq = s.last_seq + c.n
          FROM (SELECT meshwork_id, count(*) AS n FROM fresh GROUP BY meshwork_id) c
         WHERE s.meshwork_id = c.meshwork_id
        RETURNING s.meshwork_id, s.last_seq
      )""" + numberedAndLogged("fresh") + """
      , published AS (
        INSERT INTO outbox (topic, record_key, payload)
        SELECT $8, meshwork_id::text, (record::jsonb || jsonb_build_object('seq', seq))::text FROM entries ORDER BY meshwork_id, seq
      )
      SELECT ord FROM entries ORDER BY ord
      """;

  // The bus's own events, logged by the transaction that makes them (append): new ids, so nothing
  // is looked for. Each meshwork's counter is bumped by its count of entries, the counters in uuid
  // order (the upsert takes each row's lock until commit, in the order SEND takes them), entries
  // of a deleted meshwork left out; then as STORE: numbered, stored and announced on mesh.log ($8).
  static final String APPEND = """
      WITH given AS (
        SELECT g.* FROM unnest($1::uuid[], $2::text[], $3::text[], $4::text[], $5::timestamptz[], $6::text[], $7::text[])
               WITH ORDINALITY AS g(meshwork_id, id, type, agent, time, payload, record, ord)
         WHERE NOT EXISTS (SELECT 1 FROM deleted_meshworks d WHERE d.meshwork_id = g.meshwork_id)
      ), numbered AS (
        INSERT INTO event_log_seq (meshwork_id, last_seq)
        SELECT meshwork_id, count(*) FROM given GROUP BY meshwork_id ORDER BY meshwork_id
        ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = event_log_seq.last_seq + excluded.last_seq
        RETURNING meshwork_id, last_seq
      )""" + numberedAndLogged("given") + """
      INSERT INTO outbox (topic, record_key, payload)
      SELECT $8, meshwork_id::text, (record::jsonb || jsonb_build_object('seq', seq))::text FROM entries ORDER BY meshwork_id, seq
      """;

  /**
   * The CTEs {@code entries} (the CTE {@code source}'s rows, each numbered on from its meshwork's
   * counter as the CTE {@code numbered} left it, in their order) and {@code logged} (stored), which
   * STORE and APPEND share.
   */
  private static String numberedAndLogged(String source) {
    return """
        , entries AS (
          SELECT s.*, n.last_seq - count(*) OVER (PARTITION BY s.meshwork_id) + row_number() OVER (PARTITION BY s.meshwork_id ORDER BY s.ord) AS seq
            FROM %s s JOIN numbered n USING (meshwork_id)
        ), logged AS (
          INSERT INTO event_log (meshwork_id, seq, id, type, agent, time, payload)
          SELECT meshwork_id, seq, id, type, agent, time, payload::jsonb FROM entries
        )
        """.formatted(source);
  }

  // $2: the seq to read after (forward) or before (backward); $3: entries about or to this agent
  // (the agent filter); $4: the same, for a guest's own agent; $8 (typed only): the types.
  // Untyped reads go along the primary key, in either direction; typed ones along
  // event_log_by_type, so a history of messages skips the meshwork's other entries.
  static final String QUERY = select(false, false);
  static final String QUERY_BACK = select(true, false);
  static final String QUERY_TYPED = select(false, true);
  static final String QUERY_TYPED_BACK = select(true, true);

  private static String select(boolean backward, boolean typed) {
    return """
        SELECT seq, id, type, agent, time, payload, recipients
          FROM event_log
         WHERE meshwork_id = $1
           AND seq %s $2
           AND ($3::text IS NULL OR agent = $3 OR $3 = ANY(recipients))
           AND ($4::text IS NULL OR agent = $4 OR $4 = ANY(recipients))
           AND ($5::timestamptz IS NULL OR time >= $5)
           AND ($6::timestamptz IS NULL OR time < $6)%s
         ORDER BY seq%s
         LIMIT $7
        """.formatted(backward ? "<" : ">", typed ? "\n       AND type = ANY($8::text[])" : "", backward ? " DESC" : "");
  }

  private final Pool pool;

  ReplayLogRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores the entries in one transaction, in their order, leaving out those already logged (a
   * redelivered record, or one twice in the batch), with the task notices the new ones call for
   * ({@link TaskNotices}); completes with how many entries were new.
   *
   * <p>Without task assignments among them, the transaction goes to PostgreSQL in one round trip
   * ({@link PipelinedTransaction}), so it holds the meshworks' counters, which every send to them
   * waits for, only while it runs. With some, the notices wait for the answer of which entries are
   * new: one more round trip.
   */
  Future<Integer> store(List<LogEntry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<LogEntry> truncated = truncated(entries);
    List<UUID> meshworks = truncated.stream().map(LogEntry::meshwork).distinct().sorted().toList();
    Tuple params = entryParams(truncated);
    if (!TaskNotices.calledForByAny(truncated)) {
      Promise<Integer> stored = Promise.promise();
      return pool.withConnection(conn -> PipelinedTransaction.run(conn, c -> List.of(
          MessageRepository.lockLogs(c, meshworks),
          c.preparedQuery(STORE).execute(params).onSuccess(rows -> stored.complete(rows.size())))))
          .compose(v -> stored.future());
    }
    return pool.withTransaction(conn -> MessageRepository.lockLogs(conn, meshworks)
        .compose(v -> conn.preparedQuery(STORE).execute(params))
        .compose(rows -> {
          List<LogEntry> fresh = new ArrayList<>(rows.size());
          rows.forEach(row -> fresh.add(truncated.get(row.getLong("ord").intValue() - 1)));
          // Issued together: the connection pipelines them.
          List<Future<?>> notices = TaskNotices.statements(fresh).stream()
              .<Future<?>>map(notice -> conn.preparedQuery(notice.sql()).execute(notice.params()))
              .toList();
          return Future.all(notices).map(fresh.size());
        }));
  }

  /**
   * Logs the bus's own events ({@link BusEvents}) in the caller's transaction {@code conn}: each
   * gets the next seq of its meshwork and is announced on mesh.log once the transaction commits.
   * It holds the meshworks' log counters until then, taken after whatever the transaction holds
   * already (a presence row, a session).
   */
  static Future<Void> append(SqlConnection conn, List<LogEntry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture();
    }
    return conn.preparedQuery(APPEND).execute(entryParams(truncated(entries))).mapEmpty();
  }

  // The time as PostgreSQL keeps it (to the microsecond), so the record announces it as stored.
  private static List<LogEntry> truncated(List<LogEntry> entries) {
    return entries.stream().map(e -> e.at(e.time().truncatedTo(ChronoUnit.MICROS))).toList();
  }

  /** The entries as STORE's and APPEND's $1-$7 (in their order), and mesh.log as $8. */
  private static Tuple entryParams(List<LogEntry> entries) {
    return Tuple.tuple()
        .addArrayOfUUID(entries.stream().map(LogEntry::meshwork).toArray(UUID[]::new))
        .addArrayOfString(entries.stream().map(LogEntry::id).toArray(String[]::new))
        .addArrayOfString(entries.stream().map(LogEntry::type).toArray(String[]::new))
        .addArrayOfString(entries.stream().map(LogEntry::agent).toArray(String[]::new))
        .addArrayOfOffsetDateTime(entries.stream().map(e -> e.time().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new))
        .addArrayOfString(entries.stream().map(e -> e.payload().encode()).toArray(String[]::new))
        .addArrayOfString(entries.stream().map(e -> recordWithoutSeq(e).encode()).toArray(String[]::new))
        .addString(Topics.LOG);
  }

  private static JsonObject recordWithoutSeq(LogEntry entry) {
    JsonObject record = entry.toRecord();
    record.remove("seq");
    return record;
  }

  /** A page of a meshwork's log, oldest first or (before a seq) newest first, as {@code query} filters it. */
  Future<LogQuery.Page> page(LogQuery query) {
    // One more than asked for says whether another page follows.
    Tuple params = Tuple.of(query.meshwork(), query.backward() ? query.before() : query.after(), query.agent(), query.visibleTo(),
        utc(query.since()), utc(query.until()), query.limit() + 1);
    String sql;
    if (query.types() == null) {
      sql = query.backward() ? QUERY_BACK : QUERY;
    } else {
      sql = query.backward() ? QUERY_TYPED_BACK : QUERY_TYPED;
      params.addArrayOfString(query.types().toArray(String[]::new));
    }
    return pool.preparedQuery(sql).execute(params).map(rows -> {
      List<LogEntry> entries = new ArrayList<>(rows.size());
      rows.forEach(row -> entries.add(LogEntry.from(query.meshwork(), row)));
      if (entries.size() <= query.limit()) {
        return new LogQuery.Page(entries, null);
      }
      List<LogEntry> page = entries.subList(0, query.limit());
      return new LogQuery.Page(page, page.get(page.size() - 1).seq());
    });
  }

  private static OffsetDateTime utc(Instant time) {
    return time == null ? null : time.atOffset(ZoneOffset.UTC);
  }
}
