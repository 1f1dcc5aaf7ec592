package io.meshcode.tasks;

import io.meshcode.core.db.Sql;
import io.meshcode.core.kafka.Removals;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * What the tasks service drops when an agent slot is removed or a meshwork deleted. A removed
 * agent's reservations are released (reported as {@code reservation.released}), so its files are
 * not held from the others until the reservations' time runs out; what the slot's next agent
 * reserved or renewed after the removal stays. Tasks assigned to the slot stay assigned: the
 * board is the team's, and the owner reassigns them. A deleted meshwork's board and reservations
 * go, unreported.
 */
final class TasksPurge implements Removals.Purge {

  private static final String AGENT_RESERVATIONS = """
      DELETE FROM reservations WHERE meshwork_id = $1 AND agent = $2 AND COALESCE(renewed_at, created_at) <= $3
      RETURNING path
      """;

  // The guard's lock first, as every reserve and release takes it.
  private static final List<String> MESHWORK = List.of(
      "SELECT 1 FROM reservation_guards WHERE meshwork_id = $1 FOR UPDATE",
      "DELETE FROM tasks WHERE meshwork_id = $1",
      "DELETE FROM reservations WHERE meshwork_id = $1",
      "DELETE FROM reservation_guards WHERE meshwork_id = $1");

  private final Pool pool;
  private final Runnable onCommit;

  /** {@code onCommit} runs after a purge that wrote events (the service wakes its outbox relay). */
  TasksPurge(Pool pool, Runnable onCommit) {
    this.pool = pool;
    this.onCommit = onCommit;
  }

  @Override
  public Future<Void> agentRemoved(UUID meshwork, String agent, Instant at) {
    Actor holder = new Actor(meshwork, agent);
    return pool.withTransaction(conn -> ReservationRepository.guard(conn, meshwork)
            .compose(v -> conn.preparedQuery(AGENT_RESERVATIONS).execute(Tuple.of(meshwork, agent, OffsetDateTime.ofInstant(at, ZoneOffset.UTC))))
            .compose(rows -> {
              List<String> released = new ArrayList<>();
              rows.forEach(row -> released.add(row.getString("path")));
              return released.isEmpty() ? Future.<Void>succeededFuture() : TaskEvents.released(conn, holder, released);
            }))
        .onSuccess(v -> onCommit.run());
  }

  @Override
  public Future<Void> meshworkDeleted(UUID meshwork, Instant at) {
    Tuple id = Tuple.of(meshwork);
    return pool.withTransaction(conn -> Sql.each(MESHWORK, statement -> conn.preparedQuery(statement).execute(id)));
  }
}
