package io.meshcode.memory;

import io.meshcode.core.kafka.Removals;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Tuple;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.UUID;

/**
 * Forgets what a removed agent slot remembered, and everything of a deleted meshwork. A slot's
 * name can be given to a new agent: it starts with no memory. A memory written after the removal
 * is the new agent's and stays. Purges write no events: the removal is in the log already.
 */
final class MemoryPurge implements Removals.Purge {

  private static final String LOCK_SPACE = """
      SELECT 1 FROM memory_spaces WHERE meshwork_id = $1 AND agent = $2 FOR UPDATE
      """;

  private static final String AGENT = """
      DELETE FROM memories WHERE meshwork_id = $1 AND agent = $2 AND updated_at <= $3
      """;

  private static final String MESHWORK = """
      WITH memories_gone AS (DELETE FROM memories WHERE meshwork_id = $1),
           spaces_gone AS (DELETE FROM memory_spaces WHERE meshwork_id = $1),
           entries_gone AS (DELETE FROM scratchpad_entries WHERE meshwork_id = $1)
      DELETE FROM scratchpad_spaces WHERE meshwork_id = $1
      """;

  private final Pool pool;

  MemoryPurge(Pool pool) {
    this.pool = pool;
  }

  @Override
  public Future<Void> agentRemoved(UUID meshwork, String agent, Instant at) {
    // The space's lock first, as every change to an agent's memory takes it.
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_SPACE).execute(Tuple.of(meshwork, agent))
        .compose(locked -> conn.preparedQuery(AGENT).execute(Tuple.of(meshwork, agent, OffsetDateTime.ofInstant(at, ZoneOffset.UTC)))))
        .mapEmpty();
  }

  @Override
  public Future<Void> meshworkDeleted(UUID meshwork, Instant at) {
    return pool.preparedQuery(MESHWORK).execute(Tuple.of(meshwork)).mapEmpty();
  }
}
