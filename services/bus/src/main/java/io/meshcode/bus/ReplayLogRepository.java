package io.meshcode.bus;

import io.meshcode.core.db.Sql;
import io.meshcode.core.kafka.Topics;
import io.meshcode.core.outbox.Outbox;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The replay log of every meshwork: entries numbered 1, 2, 3… per meshwork, each new one
 * announced on {@code mesh.log} through the outbox in the transaction that stores it.
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

  private static final String INSERT_ENTRY = """
      INSERT INTO event_log (meshwork_id, seq, id, type, agent, time, payload, recipients)
      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
      ON CONFLICT (meshwork_id, id) DO NOTHING
      RETURNING time
      """;

  private static final String SAVE_COUNTER = """
      UPDATE event_log_seq SET last_seq = $2 WHERE meshwork_id = $1
      """;

  // $3: entries about or to this agent (the agent filter); $4: the same, for a guest's own agent.
  private static final String QUERY = """
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
   * redelivered record); completes with how many were new.
   */
  Future<Integer> store(List<LogEntry> entries) {
    if (entries.isEmpty()) {
      return Future.succeededFuture(0);
    }
    // Counters are locked in one order on every replica, so two batches never wait on each other in a circle.
    List<UUID> meshworks = entries.stream().map(LogEntry::meshwork).distinct().sorted().toList();
    return pool.withTransaction(conn -> {
      Map<UUID, Long> lastSeq = new HashMap<>();
      List<LogEntry> stored = new ArrayList<>();
      return Sql.each(meshworks, meshwork -> conn.preparedQuery(LOCK_COUNTER).execute(Tuple.of(meshwork))
              .onSuccess(rows -> lastSeq.put(meshwork, rows.iterator().next().getLong("last_seq"))))
          .compose(v -> Sql.each(entries, entry -> insert(conn, entry, lastSeq).onSuccess(added -> added.ifPresent(stored::add))))
          .compose(v -> Sql.each(meshworks, meshwork -> conn.preparedQuery(SAVE_COUNTER).execute(Tuple.of(meshwork, lastSeq.get(meshwork)))))
          .compose(v -> Sql.each(stored, entry -> Outbox.append(conn, Topics.LOG, entry.meshwork().toString(), entry.toRecord())))
          .compose(v -> TaskNotices.deliver(conn, stored))
          .map(v -> stored.size());
    });
  }

  private static Future<Optional<LogEntry>> insert(SqlConnection conn, LogEntry entry, Map<UUID, Long> lastSeq) {
    long seq = lastSeq.get(entry.meshwork()) + 1;
    Tuple row = Tuple.of(entry.meshwork(), seq, entry.id(), entry.type(), entry.agent(), entry.time().atOffset(ZoneOffset.UTC),
        entry.payload(), entry.recipientArray());
    return conn.preparedQuery(INSERT_ENTRY).execute(row).map(rows -> {
      if (rows.rowCount() == 0) {
        return Optional.empty();
      }
      lastSeq.put(entry.meshwork(), seq);
      return Optional.of(entry.numbered(seq, Sql.instant(rows.iterator().next(), "time")));
    });
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
