package io.meshcode.memory;

import io.meshcode.core.http.ApiException;
import io.meshcode.memory.Entry.Removed;
import io.meshcode.memory.Entry.Written;
import io.vertx.core.Future;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.SqlConnection;
import io.vertx.sqlclient.Tuple;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Meshworks' scratchpads. Every change first locks the meshwork's {@code scratchpad_spaces} row,
 * so changes to one scratchpad take turns on any number of replicas: what a compare-and-set or the
 * key limit checks cannot change before the write commits.
 */
final class ScratchpadRepository {

  static final int MAX_KEYS = 200;
  static final int VALUE_MAX_BYTES = 64 * 1024;

  // Locks the meshwork's row (creating it) and takes the next version.
  private static final String NEXT_VERSION = """
      INSERT INTO scratchpad_spaces (meshwork_id, last_version) VALUES ($1, 1)
      ON CONFLICT (meshwork_id) DO UPDATE SET last_version = scratchpad_spaces.last_version + 1
      RETURNING last_version
      """;

  private static final String LOCK_SPACE = """
      SELECT last_version FROM scratchpad_spaces WHERE meshwork_id = $1 FOR UPDATE
      """;

  // Runs after the lock, so it sees every write committed before this one. current: the key's version, null if absent.
  static final String COUNT_KEYS = """
      SELECT count(*) AS keys, max(version) FILTER (WHERE key = $2) AS current
        FROM scratchpad_entries
       WHERE meshwork_id = $1
      """;

  static final String UPSERT = """
      INSERT INTO scratchpad_entries (meshwork_id, key, value, size, version, updated_by)
      VALUES ($1, $2, $3, $4, $5, $6)
      ON CONFLICT (meshwork_id, key) DO UPDATE
         SET value = EXCLUDED.value, size = EXCLUDED.size, version = EXCLUDED.version,
             updated_by = EXCLUDED.updated_by, updated_at = now()
      RETURNING key, value, size, version, updated_by, updated_at
      """;

  static final String FIND = """
      SELECT key, value, size, version, updated_by, updated_at
        FROM scratchpad_entries
       WHERE meshwork_id = $1 AND key = $2
      """;

  static final String LIST = """
      SELECT key, value, size, version, updated_by, updated_at
        FROM scratchpad_entries
       WHERE meshwork_id = $1
       ORDER BY key COLLATE "C"
      """;

  static final String COUNT = """
      SELECT count(*) AS keys FROM scratchpad_entries WHERE meshwork_id = $1
      """;

  static final String DELETE = """
      DELETE FROM scratchpad_entries WHERE meshwork_id = $1 AND key = $2 RETURNING version, size
      """;

  private final Pool pool;
  private final Runnable onCommitted;

  /** {@code onCommitted} runs after each committed change (the service wakes its outbox relay). */
  ScratchpadRepository(Pool pool, Runnable onCommitted) {
    this.pool = pool;
    this.onCommitted = onCommitted;
  }

  /**
   * Stores {@code value} under {@code key}. With {@code expected} (0: the key must not exist) it is
   * a compare-and-set: another current version is a 409 {@code version_conflict}. A new key past
   * the limit is a 409 {@code limit_reached}. A refused write changes nothing.
   */
  Future<Written> set(UUID meshwork, String key, EntryValue value, Long expected, Writer writer) {
    return pool.withTransaction(conn -> conn.preparedQuery(NEXT_VERSION).execute(Tuple.of(meshwork))
            .map(rows -> rows.iterator().next().getLong("last_version"))
            .compose(version -> conn.preparedQuery(COUNT_KEYS).execute(Tuple.of(meshwork, key)).compose(counted -> {
              Row count = counted.iterator().next();
              Long current = count.getLong("current");
              Optional<ApiException> conflict = conflict(key, expected, current);
              if (conflict.isPresent()) {
                return Future.failedFuture(conflict.get());
              }
              if (current == null && count.getLong("keys") >= MAX_KEYS) {
                return Future.failedFuture(full());
              }
              return conn.preparedQuery(UPSERT)
                  .execute(Tuple.of(meshwork, key, value.text(), value.size(), version, writer.name()))
                  .map(rows -> new Written(Entry.from(rows.iterator().next()), current == null));
            }))
            .compose(written -> StoreEvents.scratchpadSet(conn, meshwork, written, writer).map(written)))
        .onSuccess(written -> onCommitted.run());
  }

  Future<Optional<Entry>> find(UUID meshwork, String key) {
    return pool.preparedQuery(FIND).execute(Tuple.of(meshwork, key))
        .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(Entry.from(rows.iterator().next())));
  }

  /** Every entry of the meshwork's scratchpad, by key (in code point order). */
  Future<List<Entry>> all(UUID meshwork) {
    return pool.preparedQuery(LIST).execute(Tuple.of(meshwork)).map(Entry::all);
  }

  /** How many entries the meshwork's scratchpad holds. */
  Future<Long> count(UUID meshwork) {
    return pool.preparedQuery(COUNT).execute(Tuple.of(meshwork)).map(rows -> rows.iterator().next().getLong("keys"));
  }

  /** Deletes {@code key}, if {@code expected} (when given) is its current version; empty if there was no such key. */
  Future<Optional<Removed>> delete(UUID meshwork, String key, Long expected, Writer writer) {
    return pool.withTransaction(conn -> conn.preparedQuery(LOCK_SPACE).execute(Tuple.of(meshwork))
            .compose(locked -> conn.preparedQuery(FIND).execute(Tuple.of(meshwork, key)))
            .compose(found -> {
              Long current = found.size() == 0 ? null : found.iterator().next().getLong("version");
              Optional<ApiException> conflict = conflict(key, expected, current);
              if (conflict.isPresent()) {
                return Future.failedFuture(conflict.get());
              }
              return current == null ? Future.succeededFuture(Optional.<Removed>empty()) : remove(conn, meshwork, key);
            })
            .compose(removed -> removed.isEmpty()
                ? Future.succeededFuture(removed)
                : StoreEvents.scratchpadDeleted(conn, meshwork, removed.get(), writer).map(removed)))
        .onSuccess(removed -> removed.ifPresent(r -> onCommitted.run()));
  }

  private static Future<Optional<Removed>> remove(SqlConnection conn, UUID meshwork, String key) {
    return conn.preparedQuery(DELETE).execute(Tuple.of(meshwork, key))
        .map(rows -> Optional.of(Removed.from(key, rows.iterator().next())));
  }

  /**
   * The 409 a compare-and-set answers when {@code expected} is given and is not {@code current}
   * (0 for a key that does not exist), naming the current version; empty when the write may go on.
   */
  static Optional<ApiException> conflict(String key, Long expected, Long current) {
    long actual = current == null ? 0 : current;
    if (expected == null || expected == actual) {
      return Optional.empty();
    }
    String state = current == null
        ? "does not exist (version 0), not at version " + expected
        : expected == 0 ? "already exists, at version " + current : "is at version " + current + ", not " + expected;
    return Optional.of(new ApiException(409, "version_conflict", "the scratchpad key '" + key + "' " + state + "; read it again and retry"));
  }

  static ApiException full() {
    return new ApiException(409, "limit_reached",
        "a meshwork's scratchpad holds at most " + MAX_KEYS + " keys; delete one first");
  }
}
