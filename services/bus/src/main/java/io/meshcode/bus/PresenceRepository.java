package io.meshcode.bus;

import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** Agents' activity and the presence list of a meshwork, with statuses derived at the moment they are read. */
final class PresenceRepository {

  // An agent that never opened a session has no row: there is nothing to be active in yet.
  private static final String TOUCH = """
      UPDATE presence SET last_activity_at = now(), last_seen_at = now() WHERE meshwork_id = $1 AND agent = $2
      """;

  private static final String LIST = """
      SELECT agent, agent_status(lease_expires_at, last_activity_at, waiting_until, $2::int, now()) AS status,
             last_seen_at, client, session_opened_at
        FROM presence
       WHERE meshwork_id = $1
       ORDER BY agent
      """;

  private final Pool pool;
  private final BusSettings settings;
  private final StatusReports reports;

  PresenceRepository(Pool pool, BusSettings settings, StatusReports reports) {
    this.pool = pool;
    this.settings = settings;
    this.reports = reports;
  }

  /**
   * Records activity (tool calls); an online or idle agent turns working at once. Described calls
   * are reported as {@code tool.called} events, in their order, also for an agent that never
   * opened a session.
   */
  Future<Void> activity(AgentSlot slot, List<ToolCall> calls) {
    return pool.withTransaction(conn -> conn.preparedQuery(TOUCH).execute(Tuple.of(slot.meshwork(), slot.agent()))
        .compose(touched -> touched.rowCount() == 0 ? Future.succeededFuture() : reports.reportOne(conn, slot))
        .compose(v -> calls.isEmpty() ? Future.succeededFuture() : PresenceEvents.toolsCalled(conn, slot, calls)));
  }

  /** Every agent of the meshwork that ever opened a session, by name. */
  Future<List<AgentPresence>> list(UUID meshwork) {
    return pool.preparedQuery(LIST).execute(Tuple.of(meshwork, settings.idleSeconds())).map(rows -> {
      List<AgentPresence> agents = new ArrayList<>(rows.size());
      rows.forEach(row -> agents.add(AgentPresence.from(row)));
      return agents;
    });
  }
}
