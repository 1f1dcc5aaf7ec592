package io.meshcode.bus;

import io.vertx.core.Future;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;

/**
 * Reports each change of an agent's derived status once: it compares {@code agent_status(…)}
 * (the schema's one definition) with {@code reported_status}, and for each difference updates that
 * column and logs an {@code agent.status} entry in the caller's transaction ({@link PresenceEvents}). The rows are
 * locked while compared, so two replicas never report the same change. A wait's read does the
 * same for the change it makes, inside its one statement ({@link MessageRepository#TAKE}).
 */
final class StatusReports {

  // The lock makes "previous" the value no one else is changing; a request already holds it. As
  // in SWEEP, the status is taken by the clock of the moment, not of the transaction's start: a
  // request that queued behind a sweep's report would otherwise report the agent back.
  private static final String REPORT_ONE = """
      WITH current AS (
        SELECT meshwork_id, agent, reported_status AS previous,
               agent_status(lease_expires_at, last_activity_at, waiting_until, $3::int, clock_timestamp()) AS status
          FROM presence
         WHERE meshwork_id = $1 AND agent = $2
           FOR UPDATE
      )
      UPDATE presence p SET reported_status = c.status, reported_at = now()
        FROM current c
       WHERE p.meshwork_id = c.meshwork_id AND p.agent = c.agent AND c.status <> c.previous
      RETURNING p.meshwork_id, p.agent, c.previous, c.status
      """;

  // SKIP LOCKED: a row another replica's sweep or a request holds is theirs to report. A row
  // changed and committed meanwhile is re-checked on its new version before it is taken. The
  // status is taken at that moment (clock_timestamp), not at the transaction's start (now()): a
  // sweep held up since then would otherwise judge another's newer report by an older clock, and
  // report the agent back (offline, then idle again). The clock moves on between the filter and
  // the status, so the status is compared with the report once more.
  private static final String SWEEP = """
      WITH changed AS (
        SELECT meshwork_id, agent, reported_status AS previous,
               agent_status(lease_expires_at, last_activity_at, waiting_until, $1::int, clock_timestamp()) AS status
          FROM presence
         WHERE reported_status <> agent_status(lease_expires_at, last_activity_at, waiting_until, $1::int, clock_timestamp())
         LIMIT $2
           FOR UPDATE SKIP LOCKED
      )
      UPDATE presence p SET reported_status = c.status, reported_at = now()
        FROM changed c
       WHERE p.meshwork_id = c.meshwork_id AND p.agent = c.agent AND c.status <> c.previous
      RETURNING p.meshwork_id, p.agent, c.previous, c.status
      """;

  private final int idleSeconds;

  StatusReports(int idleSeconds) {
    this.idleSeconds = idleSeconds;
  }

  /** Reports the agent's status if a request just changed it. */
  Future<Void> reportOne(SqlConnection conn, AgentSlot slot) {
    return conn.preparedQuery(REPORT_ONE)
        .execute(Tuple.of(slot.meshwork(), slot.agent(), idleSeconds))
        .compose(rows -> append(conn, rows))
        .mapEmpty();
  }

  /** Reports up to {@code limit} changes that time alone made (a lease run out, activity aged); returns how many. */
  Future<Integer> sweep(SqlConnection conn, int limit) {
    return conn.preparedQuery(SWEEP)
        .execute(Tuple.of(idleSeconds, limit))
        .compose(rows -> append(conn, rows));
  }

  private static Future<Integer> append(SqlConnection conn, RowSet<Row> rows) {
    List<StatusChange> changes = new ArrayList<>(rows.size());
    rows.forEach(row -> changes.add(StatusChange.from(row)));
    return PresenceEvents.statusesChanged(conn, changes).map(changes.size());
  }
}
