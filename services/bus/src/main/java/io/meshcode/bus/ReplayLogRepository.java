package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * The replay log of every meshwork: entries numbered 1, 2, 3… per meshwork. This stores the
 * events of {@code mesh.events}, each new one announced on {@code mesh.log} through the outbox in
 * the transaction that stores it; a message is logged by the send that stores it
 * ({@link MessageLog}), with the same counters.
 */
final class ReplayLogRepository {

  // The lock on the counter row is what makes seq gap-free and in commit order: held to the
  // commit, it makes every writer of the meshwork wait, so duplicates are looked for on what
  // the previous writer committed, and numbers are given out one writer after the other.
  private static final String LOCK_COUNTER = """
      INSERT INTO event_log_seq (meshwork_id, last_seq) VALUES ($1, 0)
      ON CONFLICT (meshwork_id) DO UPDATE SET last_seq = event_log_seq.last_seq
      RETURNING last_seq
      """;

  // Run with the counters held: what it finds was committed by an earlier writer.
  static final String ALREADY_LOGGED = """
      SELECT l.meshwork_id, l.id
        FROM unnest($1::uuid[], $2::text[]) AS wanted(meshwork_id, id)
        JOIN event_log l ON l.meshwork_id = wanted.meshwork_id AND l.id = wanted.id
      """;

  private static final String INSERT_ENTRY = """
      INSERT INTO event_log (meshwork_id, seq, id, type, agent, time, payload, recipients)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      RETURNING time
      """;

  private static final String SAVE_COUNTER = """
      UPDATE event_log_seq SET last_seq = $2 WHERE meshwork_id = $1
      """;

  // $3: entries about or to this agent (the agent filter); $4: the same, for a guest's own agent.
  static final String QUERY = """
      SELECT seq, id, type, agent, time, payload, recipients
        FROM event_log
       WHERE meshwork_id = $1
         AND seq > $2
         AND ($3::text IS NULL OR agent = $3 OR $3 = ANY(recipients))
         AND ($4::text IS NULL OR agent = $4 OR $4 = ANY(recipients))
         AND ($5::timestamptz IS NULL OR time >= $5)
         AND ($6::timestamptz IS NULL OR time < $6)
       ORDER BY seq
       LIMIT $7
      """;

  private final Pool pool;

  ReplayLogRepository(Pool pool) {
    this.pool = pool;
  }

  /**
   * Stores the entries in one transaction, in their order, leaving out those already logged (a
   * redelivered record, or one twice in the batch); completes with how many were new.
   *
   * <p>Each step's statements are issued together, so the connection pipelines them and the batch
   * costs a few round trips rather than two per entry; PostgreSQL still runs them in the order
   * issued, so the counters are locked one after the other in one order on every replica, and two
   * batches never wait on each other in a circle.
   */
  Future<Integer> store(List<LogEntry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture(0);
    }
    List<UUID> meshworks = entries.stream().map(LogEntry::meshwork).distinct().sorted().toList();
    return pool.withTransaction(conn -> {
      List<Future<Long>> counters = meshworks.stream()
          .map(meshwork -> conn.preparedQuery(LOCK_COUNTER).execute(Tuple.of(meshwork)).map(rows -> rows.iterator().next().getLong("last_seq")))
          .toList();
      Future<Set<String>> logged = conn.preparedQuery(ALREADY_LOGGED)
          .execute(Tuple.tuple()
              .addArrayOfUUID(entries.stream().map(LogEntry::meshwork).toArray(UUID[]::new))
              .addArrayOfString(entries.stream().map(LogEntry::id).toArray(String[]::new)))
          .map(rows -> {
            Set<String> keys = new HashSet<>();
            rows.forEach(row -> keys.add(key(row.getUUID("meshwork_id"), row.getString("id"))));
            return keys;
          });
      return Future.all(counters).compose(locked -> logged).compose(alreadyLogged -> {
        Map<UUID, Long> lastSeq = new HashMap<>();
        for (int i = 0; i < meshworks.size(); i++) {
          lastSeq.put(meshworks.get(i), counters.get(i).result());
        }
        List<LogEntry> fresh = new ArrayList<>();
        List<Tuple> rows = new ArrayList<>();
        for (LogEntry entry : entries) {
          if (!alreadyLogged.add(key(entry.meshwork(), entry.id()))) {
            continue;
          }
          long seq = lastSeq.merge(entry.meshwork(), 1L, Long::sum);
          fresh.add(entry.numbered(seq, entry.time()));
          rows.add(Tuple.of(entry.meshwork(), seq, entry.id(), entry.type(), entry.agent(), entry.time().atOffset(ZoneOffset.UTC),
              entry.payload(), entry.recipientArray()));
        }
        if (fresh.isEmpty()) {
          return Future.succeededFuture(0);
        }
        return conn.preparedQuery(INSERT_ENTRY).executeBatch(rows).compose(inserted -> {
          // The time as stored (PostgreSQL keeps microseconds), one result per row inserted.
          List<LogEntry> stored = new ArrayList<>(fresh.size());
          RowSet<Row> result = inserted;
          for (LogEntry entry : fresh) {
            stored.add(entry.numbered(entry.seq(), Sql.instant(result.iterator().next(), "time")));
            result = result.next();
          }
          List<Future<?>> steps = new ArrayList<>();
          lastSeq.forEach((meshwork, seq) -> steps.add(conn.preparedQuery(SAVE_COUNTER).execute(Tuple.of(meshwork, seq))));
          steps.add(Outbox.appendAll(conn, Topics.LOG, stored.stream().map(e -> new Outbox.Keyed(e.meshwork().toString(), e.toRecord())).toList()));
          return Future.all(steps).compose(v -> TaskNotices.deliver(conn, stored)).map(v -> stored.size());
        });
      });
    });
  }

  private static String key(UUID meshwork, String id) {
    return meshwork + "/" + id;
  }

  /** A page of a meshwork's log in seq order, as {@code query} filters it. */
  Future<LogQuery.Page> page(LogQuery query) {
    // One more than asked for says whether another page follows.
    Tuple params = Tuple.of(query.meshwork(), query.after(), query.agent(), query.visibleTo(), utc(query.since()),
        utc(query.until()), query.limit() + 1);
    return pool.preparedQuery(QUERY).execute(params).map(rows -> {
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
