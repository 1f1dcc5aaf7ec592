package io.meshcode.bus;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;

/**
 * What the wait loop does to an agent's status. A parked wait makes it {@code waiting} until the
 * wait's end plus {@link #GRACE_SECONDS}, so a wait that times out and is renewed at once never
 * flickers; a wait that hands over messages makes it {@code working}. An agent without a session
 * has no presence row, and nothing is recorded for it.
 */
final class WaitingPresence {

  /** How long after a parked wait's end its agent still counts as waiting, for the next wait to begin. */
  static final int GRACE_SECONDS = 5;

  private static final String PARKED = """
      UPDATE presence
         SET waiting_since = CASE WHEN waiting_until > now() THEN waiting_since ELSE now() END,
             waiting_until = now() + $3::int * interval '1 second', last_seen_at = now()
       WHERE meshwork_id = $1 AND agent = $2
      """;

  private static final String HANDED_OVER = """
      UPDATE presence
         SET waiting_since = NULL, waiting_until = NULL, last_activity_at = now(), last_seen_at = now()
       WHERE meshwork_id = $1 AND agent = $2
      """;

  private final Pool pool;
  private final StatusReports reports;

  WaitingPresence(Pool pool, StatusReports reports) {
    this.pool = pool;
    this.reports = reports;
  }

  /** A wait found nothing and parks for up to {@code seconds}. */
  Future<Void> parked(AgentSlot agent, int seconds) {
    return record(PARKED, Tuple.of(agent.meshwork(), agent.agent(), seconds + GRACE_SECONDS), agent);
  }

  /** A wait returned messages: the agent is at work on them. */
  Future<Void> handedOver(AgentSlot agent) {
    return record(HANDED_OVER, Tuple.of(agent.meshwork(), agent.agent()), agent);
  }

  private Future<Void> record(String sql, Tuple args, AgentSlot agent) {
    return pool.withTransaction(conn -> conn.preparedQuery(sql).execute(args)
        .compose(updated -> updated.rowCount() == 0 ? Future.succeededFuture() : reports.reportOne(conn, agent)));
  }
}
