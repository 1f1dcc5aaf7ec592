package io.meshcode.gateway;

import io.meshcode.gateway.AccountRepository.OwnerKey;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.vertx.sqlclient.Pool;
import io.vertx.sqlclient.Row;
import io.vertx.sqlclient.RowSet;
import io.vertx.sqlclient.Tuple;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Looks owner keys up by their hash: a lookup goes out at once while fewer than
 * {@link #MAX_IN_FLIGHT} queries are out, else waits for the next to go, which asks for every key
 * waiting. Nothing is cached: each lookup is answered by a query that starts after it was asked, so
 * a key revoked before a request arrived fails that request on every replica, exactly as with a
 * query of its own. Under load the lookups of many requests cost one statement, and most of them
 * ask for one key (an owner's agents all run on its key): the key check stops costing PostgreSQL a
 * transaction per request (docs/PERFORMANCE.md). Several queries out at once, so a slow answer
 * never holds every request up behind it.
 *
 * <p>Used on the gateway verticle's context only: lookups are asked there, and the pool answers
 * a query on the context that sent it.
 */
final class OwnerKeyLookups {

  /** At most this many keys in one query; lookups of more wait for the next. */
  static final int MAX_KEYS = 128;

  /** At most this many queries out at once: half the default pool, leaving the rest to the gateway's other work. */
  static final int MAX_IN_FLIGHT = 4;

  static final String SELECT_BY_KEYS = """
      SELECT k.key_hash, k.id AS key_id, a.id, a.name, a.is_admin, a.cli_first_seen_at IS NOT NULL AS cli_seen
        FROM api_keys k JOIN accounts a ON a.id = k.account_id
       WHERE k.key_hash = ANY($1) AND k.revoked_at IS NULL
      """;

  private final Pool pool;
  // The lookups waiting for the next query (asked while MAX_IN_FLIGHT were out), by key hash, oldest first.
  private final Map<Buffer, List<Promise<Optional<OwnerKey>>>> asked = new LinkedHashMap<>();
  private int inFlight;

  OwnerKeyLookups(Pool pool) {
    this.pool = pool;
  }

  /** The owner key with hash {@code keyHash}, if it exists and is not revoked. */
  Future<Optional<OwnerKey>> find(byte[] keyHash) {
    Promise<Optional<OwnerKey>> found = Promise.promise();
    asked.computeIfAbsent(Buffer.buffer(keyHash), hash -> new ArrayList<>(1)).add(found);
    if (inFlight < MAX_IN_FLIGHT) {
      sendNext();
    }
    return found.future();
  }

  /** For tests: how many distinct keys wait for the next query. */
  int waiting() {
    return asked.size();
  }

  private void sendNext() {
    if (asked.isEmpty()) {
      return;
    }
    inFlight++;
    Map<Buffer, List<Promise<Optional<OwnerKey>>>> batch = new HashMap<>();
    Iterator<Map.Entry<Buffer, List<Promise<Optional<OwnerKey>>>>> oldest = asked.entrySet().iterator();
    while (oldest.hasNext() && batch.size() < MAX_KEYS) {
      Map.Entry<Buffer, List<Promise<Optional<OwnerKey>>>> entry = oldest.next();
      batch.put(entry.getKey(), entry.getValue());
      oldest.remove();
    }
    Tuple hashes = Tuple.tuple().addArrayOfBuffer(batch.keySet().toArray(Buffer[]::new));
    pool.preparedQuery(SELECT_BY_KEYS).execute(hashes).onComplete(result -> {
      inFlight--;
      if (result.succeeded()) {
        Map<Buffer, OwnerKey> keys = byHash(result.result());
        batch.forEach((hash, lookups) -> lookups.forEach(lookup -> lookup.complete(Optional.ofNullable(keys.get(hash)))));
      } else {
        batch.values().forEach(lookups -> lookups.forEach(lookup -> lookup.fail(result.cause())));
      }
      if (inFlight < MAX_IN_FLIGHT) {
        sendNext();
      }
    });
  }

  private static Map<Buffer, OwnerKey> byHash(RowSet<Row> rows) {
    Map<Buffer, OwnerKey> keys = new HashMap<>();
    for (Row row : rows) {
      Account account = new Account(row.getUUID("id").toString(), row.getString("name"), row.getBoolean("is_admin"));
      keys.put(row.getBuffer("key_hash"), new OwnerKey(row.getUUID("key_id").toString(), account, row.getBoolean("cli_seen")));
    }
    return keys;
  }
}
