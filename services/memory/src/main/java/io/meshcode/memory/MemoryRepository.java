package io.meshcode.memory;

import io.meshcode.core.http.ApiException;
import io.meshcode.memory.Entry.Removed;
import io.meshcode.memory.Entry.Written;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Agents' memories. Every change first locks the agent's {@code memory_spaces} row, so changes to
 * one agent's memory take turns on any number of replicas: the key count a write checks cannot
 * change before it commits, and of two writes of new keys at the limit exactly one succeeds.
 */
final class MemoryRepository {

  static final int MAX_KEYS = 100;
  static final int VALUE_MAX_BYTES = 10 * 1024;

  // Locks the agent's row (creating it) and takes the next version.
  private static final String NEXT_VERSION = """
      INSERT INTO memory_spaces (meshwork_id, agent, last_version) VALUES ($1, $2, 1)
      ON CONFLICT (meshwork_id, agent) DO UPDATE SET last_version = memory_spaces.last_version + 1
      RETURNING last_version
      """;

  private static final String LOCK_SPACE = """
      SELECT last_version FROM memory_spaces WHERE meshwork_id = $1 AND agent = $2 FOR UPDATE
      """;

  // Runs after the lock, so it sees every write committed before this one.
  static final String COUNT_KEYS = """
      SELECT count(*) AS keys, COALESCE(bool_or(key = $3), false) AS present
        FROM memories
       WHERE meshwork_id = $1 AND agent = $2
      """;

  static final String UPSERT = """
      INSERT INTO memories (meshwork_id, agent, key, value, size, version, updated_by)
      VALUES ($1, $2, $3, $4, $5, $6, $7)
      ON CONFLICT (meshwork_id, agent, key) DO UPDATE
         SET value = EXCLUDED.value, size = EXCLUDED.size, version = EXCLUDED.version,
             updated_by = EXCLUDED.updated_by, updated_at = now()
      RETURNING key, value, size, version, updated_by, updated_at
      """;

  static final String FIND = """
      SELECT key, value, size, version, updated_by, updated_at
        FROM memories
       WHERE meshwork_id = $1 AND agent = $2 AND key = $3
      """;

  static final String LIST = """
      SELECT key, value, size, version, updated_by, updated_at
        FROM memories
       WHERE meshwork_id = $1 AND agent = $2
       ORDER BY key COLLATE "C"
      """;

  static final String DELETE = """
      DELETE FROM memories WHERE meshwork_id = $1 AND agent = $2 AND key = $3 RETURNING version, size
      """;

  // Read from memories, not memory_spaces: a removed slot's space outlives its purged memories.
  static final String COUNT_BY_AGENT = """
      SELECT agent, count(*) AS keys, sum(size) AS bytes
        FROM memories
       WHERE meshwork_id = $1
       GROUP BY agent
       ORDER BY agent COLLATE "C"
      """;

  static final String COUNT_OF_AGENT = """
      SELECT agent, count(*) AS keys, sum(size) AS bytes
        FROM memories
       WHERE meshwork_id = $1 AND agent = $2
       GROUP BY agent
      """;

  /** How much one agent keeps: its number of memories and their values' size in UTF-8 bytes. */
  record Usage(String agent, long count, long bytes) {}

  private final Pool pool;
  private final Runnable onCommitted;

  /** {@code onCommitted} runs after each committed change (the service wakes its outbox relay). */
  MemoryRepository(Pool pool, Runnable onCommitted) {
    this.pool = pool;
    this.onCommitted = onCommitted;
  }

  /** Stores {@code value} under {@code key}, replacing what was there; a new key past the limit is a 409 and changes nothing. */
  Future<Written> remember(AgentSlot slot, String key, EntryValue value, Writer writer) {
    return pool.withTransaction(conn -> conn.preparedQuery(NEXT_VERSION).execute(Tuple.of(slot.meshwork(), slot.agent()))
            .map(rows -> rows.iterator().next().getLong("last_version"))
            .compose(version -> conn.preparedQuery(COUNT_KEYS).execute(Tuple.of(slot.meshwork(), slot.agent(), key))
                .compose(counted -> {
                  Row count = counted.iterator().next();
                  boolean present = count.getBoolean("present");
                  if (!present && count.getLong("keys") >= MAX_KEYS) {
                    return Future.failedFuture(full());
                  }
                  return conn.preparedQuery(UPSERT)
                      .execute(Tuple.of(slot.meshwork(), slot.agent(), key, value.text(), value.size(), version, writer.name()))
                      .map(rows -> new Written(Entry.from(rows.iterator().next()), !present));
                }))
            .compose(written -> StoreEvents.remembered(conn, slot, written, writer).map(written)))
        .onSuccess(written -> onCommitted.run());
  }

  Future<Optional<Entry>> find(AgentSlot slot, String key) {
    return pool.preparedQuery(FIND).execute(Tuple.of(slot.meshwork(), slot.agent(), key))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Entry.from(rows.iterator().next())));
  }

  /** Every memory of the agent, by key (in code point order). */
  Future<List<Entry>> all(AgentSlot slot) {
    return pool.preparedQuery(LIST).execute(Tuple.of(slot.meshwork(), slot.agent())).map(Entry::all);
  }

  /**
   * How much each agent of the meshwork keeps, by agent name (in code point order), or only
   * {@code agent}'s when it is not null. An agent that keeps nothing is not listed.
   */
  Future<List<Usage>> usage(UUID meshwork, String agent) {
    Future<RowSet<Row>> rows = agent == null
        ? pool.preparedQuery(COUNT_BY_AGENT).execute(Tuple.of(meshwork))
        : pool.preparedQuery(COUNT_OF_AGENT).execute(Tuple.of(meshwork, agent));
    return rows.map(found -> {
      List<Usage> usage = new ArrayList<>(found.size());
      found.forEach(row -> usage.add(new Usage(row.getString("agent"), row.getLong("keys"), row.getLong("bytes"))));
      return usage;
    });
  }

  /** Forgets {@code key}; empty if the agent had no such memory. */
  Future<Optional<Removed>> forget(AgentSlot slot, String key, Writer writer) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_SPACE).execute(Tuple.of(slot.meshwork(), slot.agent()))
            .compose(locked -> locked.size() == 0
                ? Future.succeededFuture(Optional.<Removed>empty())
                : conn.preparedQuery(DELETE).execute(Tuple.of(slot.meshwork(), slot.agent(), key)).map(rows -> rows.size() == 0
                    ? Optional.<Removed>empty()
                    : Optional.of(Removed.from(key, rows.iterator().next()))))
            .compose(removed -> removed.isEmpty()
                ? Future.succeededFuture(removed)
                : StoreEvents.forgotten(conn, slot, removed.get(), writer).map(removed)))
        .onSuccess(removed -> removed.ifPresent(r -> onCommitted.run()));
  }

  static ApiException full() {
    return new ApiException(409, "limit_reached", "an agent may keep at most " + MAX_KEYS + " memories; forget one first");
  }
}
